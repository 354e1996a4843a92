"""``exp(x) - 1``, accurate near zero."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math._unary import UnaryElementwise


class Expm1(UnaryElementwise):
    _label = "expm1"
    _retain = "y"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.expm1(x)

    def grad(self, y: Any, gy: Any) -> Any:
        return (y + 1.0) * gy


def expm1(x: Any) -> variable.Variable:
    """Elementwise ``exp(x) - 1``; the derivative is ``exp(x)``.

    Example:
        >>> import numpy
        >>> expm1(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Expm1().apply((x,))[0]
