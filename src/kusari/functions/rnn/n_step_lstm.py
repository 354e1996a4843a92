"""``chainer.functions.rnn.n_step_lstm`` (implemented in ``connection/n_step_rnn.py``)."""

from kusari.functions.connection.n_step_rnn import n_step_bilstm, n_step_lstm

__all__ = ["n_step_bilstm", "n_step_lstm"]
