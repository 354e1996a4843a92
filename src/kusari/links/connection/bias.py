"""Broadcasted elementwise sum layer."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.link import Link


class Bias(Link):
    """``y = x + b`` with ``b`` broadcast from ``axis``.

    Called with one input when ``shape`` is given (``b`` is learnt, initialized to
    zeros); otherwise with two, ``(x, b)``.

    Args:
        axis: First axis of ``x`` that ``b`` covers.
        shape: Shape of the learnt ``b``, or None.

    Example:
        >>> import numpy
        >>> Bias(shape=(3,))(numpy.ones((2, 3), numpy.float32)).array.tolist()
        [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    def __init__(self, axis: int = 1, shape: Any = None) -> None:
        super().__init__()
        if shape is not None:
            with self.init_scope():
                self.b = variable.Parameter(0, shape)
        self.axis = axis

    def forward(self, *xs: Any) -> variable.Variable:
        """``x + b`` (one input, learnt ``b``) or ``x + y`` (two inputs)."""
        from kusari.functions.math.bias import bias

        if hasattr(self, "b"):
            (x,) = xs
            return bias(x, self.b, self.axis)
        x, y = xs
        return bias(x, y, self.axis)
