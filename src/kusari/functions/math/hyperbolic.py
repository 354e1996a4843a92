"""Hyperbolic sine and cosine (``tanh`` lives in ``functions.activation``)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math._unary import UnaryElementwise


class Cosh(UnaryElementwise):
    _label = "cosh"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.cosh(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return sinh(x) * gy


class Sinh(UnaryElementwise):
    _label = "sinh"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.sinh(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return cosh(x) * gy


def cosh(x: Any) -> variable.Variable:
    """Elementwise hyperbolic cosine; the derivative is ``sinh(x)``.

    Example:
        >>> import numpy
        >>> cosh(numpy.zeros(1, numpy.float32)).array.tolist()
        [1.0]
    """
    return Cosh().apply((x,))[0]


def sinh(x: Any) -> variable.Variable:
    """Elementwise hyperbolic sine; the derivative is ``cosh(x)``.

    Example:
        >>> import numpy
        >>> sinh(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Sinh().apply((x,))[0]
