"""Square root and its reciprocal."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class Sqrt(FunctionNode):
    """``sqrt(x)``; the derivative ``1 / (2 sqrt(x))`` is infinite at 0."""

    _fast_check = staticmethod(_fast_check.first_float)

    @property
    def label(self) -> str:
        return "sqrt"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return force_array(get_array_module(x).sqrt(x)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, = self.get_retained_outputs()
        return grad_outputs[0] / (2.0 * y),


def sqrt(x: Any) -> variable.Variable:
    """Elementwise square root.

    Example:
        >>> import numpy
        >>> sqrt(numpy.array([4.0], numpy.float32)).array.tolist()
        [2.0]
    """
    return Sqrt().apply((x,))[0]


def rsqrt(x: Any) -> variable.Variable:
    """Elementwise reciprocal square root ``1 / sqrt(x)``.

    Example:
        >>> import numpy
        >>> rsqrt(numpy.array([4.0], numpy.float32)).array.tolist()
        [0.5]
    """
    return 1.0 / sqrt(x)
