"""Inverse error function."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise

_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0


class ErfInv(UnaryElementwise):
    _label = "erfinv"
    _retain = "y"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.erfinv(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.exponential import exp
        return _SQRT_PI_OVER_TWO * exp(v * v) * gy


def erfinv(x: Any) -> variable.Variable:
    """Elementwise inverse error function.

    The derivative is ``sqrt(pi) / 2 exp(erfinv(x)^2)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in erfinv(numpy.array([0.0], numpy.float32)).array.tolist()]
        [0.0]
    """
    return ErfInv().apply((x,))[0]
