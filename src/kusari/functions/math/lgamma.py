"""Log of the absolute gamma function."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math import _special
from kusari.functions.math._unary import UnaryElementwise


class LGamma(UnaryElementwise):
    _label = "lgamma"
    _retain = "x"

    def compute(self, xp: Any, x: Any) -> Any:
        return _special.lgamma(x).astype(x.dtype, copy=False)

    def grad(self, v: Any, gy: Any) -> Any:
        from kusari.functions.math.digamma import digamma
        return digamma(v) * gy


def lgamma(x: Any) -> variable.Variable:
    """Elementwise log of the absolute gamma function.

    The derivative is ``digamma(x)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The values, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> [round(v, 4) for v in lgamma(numpy.array([1.0], numpy.float32)).array.tolist()]
        [0.0]
    """
    return LGamma().apply((x,))[0]
