"""Inverse hyperbolic tangent."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math._unary import UnaryElementwise


class Arctanh(UnaryElementwise):
    _label = "arctanh"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.arctanh(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return gy / (1.0 - x * x)


def arctanh(x: Any) -> variable.Variable:
    """Elementwise inverse hyperbolic tangent; the derivative is ``1 / (1 - x^2)``.

    Example:
        >>> import numpy
        >>> arctanh(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Arctanh().apply((x,))[0]
