"""``chainer.functions.rnn.n_step_rnn`` (implemented in ``connection/n_step_rnn.py``)."""

from kusari.functions.connection.n_step_rnn import n_step_birnn, n_step_rnn

__all__ = ["n_step_birnn", "n_step_rnn"]
