"""``chainer.functions.rnn.slstm``: the S-LSTM cell (implemented in ``activation/slstm.py``)."""

from kusari.functions.activation.slstm import SLSTM, slstm

__all__ = ["SLSTM", "slstm"]
