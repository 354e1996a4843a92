"""Recurrent links."""

from kusari.links.rnn.gru import GRU, StatefulGRU, StatelessGRU
from kusari.links.rnn.lstm import LSTM, StatelessLSTM
from kusari.links.rnn.n_step_gru import NStepBiGRU, NStepGRU
from kusari.links.rnn.n_step_lstm import NStepBiLSTM, NStepLSTM
from kusari.links.rnn.n_step_rnn import NStepBiRNNReLU, NStepBiRNNTanh, NStepRNNReLU, NStepRNNTanh

__all__ = [
    "GRU", "LSTM", "NStepBiGRU", "NStepBiLSTM", "NStepBiRNNReLU", "NStepBiRNNTanh", "NStepGRU",
    "NStepLSTM", "NStepRNNReLU", "NStepRNNTanh", "StatefulGRU", "StatelessGRU",
    "StatelessLSTM",
]
