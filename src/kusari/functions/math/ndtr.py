"""Standard normal cdf."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


class Ndtr(UnaryElementwise):
    _label = "ndtr"
    _retain = "x"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.ndtr(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.exponential import exp
        return _INV_SQRT_2PI * exp(-0.5 * v * v) * gy


def ndtr(x: Any) -> variable.Variable:
    """Elementwise standard normal CDF.

    The derivative is the normal density ``exp(-x^2 / 2) / sqrt(2 pi)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in ndtr(numpy.array([0.0], numpy.float32)).array.tolist()]
        [0.5]
    """
    return Ndtr().apply((x,))[0]
