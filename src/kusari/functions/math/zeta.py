"""Hurwitz zeta function."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.math import _special
from kusari.utils import force_array, type_check


class Zeta(FunctionNode):
    """``zeta(x, q) = sum_k (k + q)^-x``, differentiable in ``q`` (``x`` is a constant)."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, x: Any) -> None:
        self._x = x

    @property
    def label(self) -> str:
        return "zeta"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("q",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        q, = inputs
        return force_array(_special.zeta(self._x, q), q.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        q, = self.get_retained_inputs()
        # d/dq zeta(x, q) = -x zeta(x + 1, q)
        return -self._x * zeta(self._x + 1, q) * grad_outputs[0],


def zeta(x: Any, q: Any) -> variable.Variable:
    """Elementwise Hurwitz zeta function ``sum_{k>=0} (k + q)^-x``.

    Uses ``scipy.special`` when SciPy is installed, else a NumPy implementation.

    Args:
        x: The exponent: an array (not differentiated).
        q: Float Variable or array, the shift; the derivative is ``-x zeta(x + 1, q)``.

    Returns:
        The values, of ``q``'s dtype.

    Example:
        >>> import numpy
        >>> round(zeta(numpy.array([2.0]), numpy.array([1.0])).array.item(), 4)
        1.6449
    """
    if isinstance(x, variable.Variable):
        x = x.array
    return Zeta(x).apply((q,))[0]
