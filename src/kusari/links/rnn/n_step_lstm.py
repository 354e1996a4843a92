"""Multi-layer (bidirectional) LSTM links over variable-length sequences."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari.links.rnn.n_step_rnn import NStepRNNBase


class NStepLSTMBase(NStepRNNBase):
    """Base of the n-step LSTMs (8 weights per layer and direction)."""

    n_weights = 8

    def forward(self, hx: Any, cx: Any, xs: Any, **kwargs: Any) -> tuple:
        """Run over the sequences ``xs``; returns ``(hy, cy, ys)``.

        Args:
            hx: Initial hidden states or None.
            cx: Initial cell states or None.
            xs: List of arrays ``(length_i, in_size)``.
        """
        (hy, cy), ys = self._call([hx, cx], xs, **kwargs)
        return hy, cy, ys

    @property
    def n_cells(self) -> int:
        return 2


class NStepLSTM(NStepLSTMBase):
    """Stacked uni-directional LSTM for sequences of different lengths.

    Example:
        >>> import numpy
        >>> lstm = NStepLSTM(2, 3, 4, 0.0)
        >>> hy, cy, ys = lstm(None, None, [numpy.ones((2, 3), numpy.float32),
        ...                                numpy.ones((1, 3), numpy.float32)])
        >>> hy.shape, [y.shape for y in ys]
        ((2, 2, 4), [(2, 4), (1, 4)])
    """

    use_bi_direction = False

    def rnn(self, *args: Any) -> Any:
        return F.n_step_lstm(*args)


class NStepBiLSTM(NStepLSTMBase):
    """Stacked bi-directional LSTM (outputs of both directions concatenated)."""

    use_bi_direction = True

    def rnn(self, *args: Any) -> Any:
        return F.n_step_bilstm(*args)
