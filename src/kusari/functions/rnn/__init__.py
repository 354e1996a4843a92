"""Chainer's ``chainer.functions.rnn`` import paths.

kusari implements the recurrent cells with the activations (``functions/activation``)
and the multi-layer RNNs with the connections (``functions/connection/n_step_rnn.py``);
the modules here re-export them so that ``chainer.functions.rnn.lstm`` and its siblings
import under kusari too.
"""
