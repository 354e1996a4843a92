"""Log of the standard normal cdf, accurate for very negative ``x``."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)


class LogNdtr(UnaryElementwise):
    _label = "log_ndtr"
    _retain = "x"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.log_ndtr(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.erfcx import erfcx
        return _SQRT_2_OVER_PI / erfcx(-v * _INV_SQRT2) * gy


def log_ndtr(x: Any) -> variable.Variable:
    """Elementwise log of the standard normal CDF, accurate for very negative ``x``.

    The derivative is ``sqrt(2 / pi) / erfcx(-x / sqrt 2)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in log_ndtr(numpy.array([0.0], numpy.float32)).array.tolist()]
        [-0.6931]
    """
    return LogNdtr().apply((x,))[0]
