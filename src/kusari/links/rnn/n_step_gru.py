"""Multi-layer (bidirectional) GRU links over variable-length sequences."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari.links.rnn.n_step_rnn import NStepRNNBase


class NStepGRUBase(NStepRNNBase):
    """Base of the n-step GRUs (6 weights per layer and direction)."""

    n_weights = 6

    @property
    def n_cells(self) -> int:
        return 1


class NStepGRU(NStepGRUBase):
    """Stacked uni-directional GRU for sequences of different lengths."""

    use_bi_direction = False

    def rnn(self, *args: Any) -> Any:
        return F.n_step_gru(*args)


class NStepBiGRU(NStepGRUBase):
    """Stacked bi-directional GRU."""

    use_bi_direction = True

    def rnn(self, *args: Any) -> Any:
        return F.n_step_bigru(*args)
