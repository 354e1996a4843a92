"""``chainer.functions.rnn.n_step_gru`` (implemented in ``connection/n_step_rnn.py``)."""

from kusari.functions.connection.n_step_rnn import n_step_bigru, n_step_gru

__all__ = ["n_step_bigru", "n_step_gru"]
