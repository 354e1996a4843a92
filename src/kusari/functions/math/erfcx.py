"""Scaled complementary error function ``exp(x^2) erfc(x)``."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erfcx(UnaryElementwise):
    _label = "erfcx"
    _retain = "x"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.erfcx(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        return (2.0 * v * erfcx(v) - _TWO_OVER_SQRT_PI) * gy


def erfcx(x: Any) -> variable.Variable:
    """Elementwise scaled complementary error function ``exp(x^2) erfc(x)``.

    The derivative is ``2 x erfcx(x) - 2 / sqrt(pi)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in erfcx(numpy.array([0.0], numpy.float32)).array.tolist()]
        [1.0]
    """
    return Erfcx().apply((x,))[0]
