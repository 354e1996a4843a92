"""Elementwise floating-point remainder with the sign of the dividend."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class Fmod(FunctionNode):
    """``fmod(x, d) = x - d * fix(x / d)``: gradients ``gy`` and ``-fix(x / d) gy``."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    @property
    def label(self) -> str:
        return "fmod"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "divisor"))
        x, d = in_types
        type_check.expect(x.dtype == d.dtype, x.dtype.kind == "f", d.dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, d = inputs
        return force_array(get_array_module(x).fmod(x, d), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.fix import fix
        from kusari.functions.math.sum import sum_to

        x, d = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        if 0 in indexes:
            ret.append(sum_to(gy, x.shape))
        if 1 in indexes:
            q = fix(x.array / d.array)
            ret.append(sum_to(-q * gy, d.shape))
        return tuple(ret)


def fmod(x: Any, divisor: Any) -> variable.Variable:
    """Elementwise remainder of ``x / divisor`` with the sign of ``x`` (``numpy.fmod``).

    The derivative is 1 in ``x`` and ``-fix(x / divisor)`` in ``divisor`` (taken from
    the side the quotient truncates to at the jumps).

    Args:
        x: Dividend (floating point).
        divisor: Divisor, same dtype.

    Returns:
        The remainders.

    Raises:
        kusari.utils.type_check.InvalidType: The dtypes differ or are not floating point.

    Example:
        >>> import numpy
        >>> x = numpy.array([-3.0, 3.0], numpy.float32)
        >>> fmod(x, numpy.full(2, 2.0, numpy.float32)).array.tolist()
        [-1.0, 1.0]
    """
    return Fmod().apply((x, divisor))[0]
