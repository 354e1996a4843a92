"""Elementwise absolute error."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class AbsoluteError(FunctionNode):
    """``|x0 - x1|`` elementwise; the derivative at 0 is 0."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x0", "x1"))
        type_check.expect(
            in_types[0].dtype.kind == "f",
            in_types[0].dtype == in_types[1].dtype,
            in_types[0].shape == in_types[1].shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        x0, x1 = inputs
        d = force_array(x0 - x1)
        self.sign = force_array(get_array_module(d).sign(d))
        return force_array(abs(d)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            g = force_array(gy._data * self.sign)
            return tuple(variable.Variable._new(g if i == 0 else -g, False) for i in indexes)
        g = gy * self.sign
        return tuple(g if i == 0 else -g for i in indexes)


def absolute_error(x0: Any, x1: Any) -> variable.Variable:
    """Elementwise absolute error: :math:`|x_0 - x_1|` (derivative 0 where they are equal).

    Args:
        x0: Variable or array.
        x1: Variable or array of the same shape and dtype.

    Returns:
        A Variable of the inputs' shape.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> absolute_error(numpy.array([1.0, -3.0], 'f'), numpy.zeros(2, 'f')).array
        array([1., 3.], dtype=float32)
    """
    return AbsoluteError().apply((x0, x1))[0]
