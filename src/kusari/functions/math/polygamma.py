"""Polygamma functions, the derivatives of digamma."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math import _special
from kusari.utils import force_array, type_check


def _fast(in_data: tuple) -> bool:
    n, x = in_data
    return n.dtype.kind == "i" and x.dtype.kind == "f"


class PolyGamma(FunctionNode):
    """``polygamma(n, x)``, the ``n``-th derivative of digamma; ``n`` gets no gradient."""

    _fast_check = staticmethod(_fast)

    @property
    def label(self) -> str:
        return "polygamma"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("n", "x"))
        n, x = in_types
        type_check.expect(n.dtype.kind == "i", x.dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        n, x = inputs
        return force_array(_special.polygamma(n, x), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        n, x = self.get_retained_inputs()
        gy, = grad_outputs
        xp = get_array_module(x.array)
        n1 = xp.asarray(n.array + 1)
        return tuple(None if i == 0 else polygamma(n1, x) * gy for i in indexes)


def polygamma(n: Any, x: Any) -> variable.Variable:
    """Elementwise polygamma function ``psi^(n)(x)``; the derivative in ``x`` is
    ``psi^(n+1)(x)``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        n: Int array (orders, broadcastable with ``x``).
        x: Float Variable or array.

    Returns:
        The values, of ``x``'s dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``n`` is not int or ``x`` is not float.

    Example:
        >>> import numpy
        >>> n = numpy.array([1], numpy.int32)
        >>> round(polygamma(n, numpy.array([1.0], numpy.float32)).array.item(), 4)
        1.6449
    """
    return PolyGamma().apply((n, x))[0]
