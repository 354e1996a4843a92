"""``chainer.functions.rnn.tree_lstm``: the tree LSTM (in ``activation/tree_lstm.py``)."""

from kusari.functions.activation.tree_lstm import TreeLSTM, tree_lstm

__all__ = ["TreeLSTM", "tree_lstm"]
