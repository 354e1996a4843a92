"""Digamma function ``d/dx log(gamma(x))``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise


def _ones_int(v: Any) -> Any:
    return v.xp.ones(v.shape, numpy.int32)


class DiGamma(UnaryElementwise):
    _label = "digamma"
    _retain = "x"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.digamma(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.polygamma import polygamma
        return polygamma(_ones_int(v), v) * gy


def digamma(x: Any) -> variable.Variable:
    """Elementwise digamma function ``d/dx log(gamma(x))``.

    The derivative is ``polygamma(1, x)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in digamma(numpy.array([1.0], numpy.float32)).array.tolist()]
        [-0.5772]
    """
    return DiGamma().apply((x,))[0]
