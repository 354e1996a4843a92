"""Error function ``erf(x) = 2 / sqrt(pi) int_0^x exp(-t^2) dt``."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erf(UnaryElementwise):
    _label = "erf"
    _retain = "x"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.erf(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.exponential import exp
        return _TWO_OVER_SQRT_PI * exp(-v * v) * gy


def erf(x: Any) -> variable.Variable:
    """Elementwise error function ``erf(x) = 2 / sqrt(pi) int_0^x exp(-t^2) dt``.

    The derivative is ``2 / sqrt(pi) exp(-x^2)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in erf(numpy.array([0.0], numpy.float32)).array.tolist()]
        [0.0]
    """
    return Erf().apply((x,))[0]
