"""Linear-chain conditional random field."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.functions.array.transpose_sequence import transpose_sequence
from kusari.functions.loss.crf1d import argmax_crf1d, crf1d
from kusari.link import Link


class CRF1d(Link):
    """A linear-chain CRF over label sequences, with a learned transition cost matrix.

    Args:
        n_label: Number of labels.
        initial_cost: Initializer of the transition costs (zeros by default).

    Attributes:
        cost: Transition cost of shape ``(n_label, n_label)``.

    Example:
        >>> import numpy
        >>> crf = CRF1d(3)
        >>> xs = [numpy.zeros((2, 3), numpy.float32)] * 4
        >>> ys = [numpy.zeros(2, numpy.int32)] * 4
        >>> crf(xs, ys).shape
        ()
    """

    def __init__(self, n_label: int, initial_cost: Any = None) -> None:
        super().__init__()
        if initial_cost is None:
            initial_cost = initializers.Constant(0)
        with self.init_scope():
            self.cost = variable.Parameter(initial_cost, (n_label, n_label))

    def forward(self, xs: Any, ys: Any, reduce: str = "mean", transpose: bool = False) -> Any:
        """The negative log-likelihood of the label sequences ``ys`` given scores ``xs``.

        Args:
            xs: Time-major scores, ``xs[t]`` of shape ``(B_t, n_label)``; batch-major
                sequences with ``transpose=True``.
            ys: Labels in the same layout.
            reduce: ``'mean'`` or ``'no'``.
            transpose: Transpose batch-major sequences (sorted by length) first.
        """
        if transpose:
            xs = transpose_sequence(xs)
            ys = transpose_sequence(ys)
        return crf1d(self.cost, xs, ys, reduce)

    def argmax(self, xs: Any, transpose: bool = False) -> Any:
        """The best path and its score (see :func:`kusari.functions.argmax_crf1d`)."""
        if transpose:
            xs = transpose_sequence(xs)
            score, path = argmax_crf1d(self.cost, xs)
            return score, [p.array for p in transpose_sequence(path)]
        return argmax_crf1d(self.cost, xs)
