"""``log(1 + x)``, accurate near zero."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math._unary import UnaryElementwise


class Log1p(UnaryElementwise):
    _label = "log1p"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.log1p(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return gy / (1.0 + x)


def log1p(x: Any) -> variable.Variable:
    """Elementwise ``log(1 + x)``; the derivative is ``1 / (1 + x)``.

    Example:
        >>> import numpy
        >>> log1p(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Log1p().apply((x,))[0]
