"""Inverse of the standard normal cdf."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise

_SQRT_2PI = math.sqrt(2.0 * math.pi)


class Ndtri(UnaryElementwise):
    _label = "ndtri"
    _retain = "y"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.ndtri(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.exponential import exp
        return _SQRT_2PI * exp(0.5 * v * v) * gy


def ndtri(x: Any) -> variable.Variable:
    """Elementwise inverse of the standard normal CDF.

    The derivative is ``sqrt(2 pi) exp(ndtri(x)^2 / 2)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in ndtri(numpy.array([0.5], numpy.float32)).array.tolist()]
        [0.0]
    """
    return Ndtri().apply((x,))[0]
