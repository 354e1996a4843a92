"""``chainer.functions.rnn.lstm``: the LSTM cell (implemented in ``activation/lstm.py``)."""

from kusari.functions.activation.lstm import LSTM, lstm

__all__ = ["LSTM", "lstm"]
