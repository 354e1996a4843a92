import importlib

import numpy
import pytest

import kusari.functions as F

PATHS = {
    "lstm": ["lstm"],
    "slstm": ["slstm"],
    "tree_lstm": ["tree_lstm"],
    "n_step_lstm": ["n_step_lstm", "n_step_bilstm"],
    "n_step_gru": ["n_step_gru", "n_step_bigru"],
    "n_step_rnn": ["n_step_rnn", "n_step_birnn"],
}


@pytest.mark.parametrize("module", sorted(PATHS))
def test_chainer_rnn_module_paths_resolve_to_the_functions(module):
    mod = importlib.import_module(f"kusari.functions.rnn.{module}")
    for name in PATHS[module]:
        assert getattr(mod, name) is getattr(F, name)


def test_lstm_through_rnn_path_computes_the_cell():
    from kusari.functions.rnn.lstm import lstm

    c = numpy.zeros((1, 2), numpy.float32)
    x = numpy.zeros((1, 8), numpy.float32)
    c_new, h = lstm(c, x)
    numpy.testing.assert_array_equal(c_new.array, numpy.zeros((1, 2), numpy.float32))
    numpy.testing.assert_array_equal(h.array, numpy.zeros((1, 2), numpy.float32))
