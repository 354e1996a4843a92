"""Elementwise squared error."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class SquaredError(FunctionNode):
    """``(x0 - x1) ** 2`` elementwise."""

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
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        d = force_array(x0 - x1)
        return force_array(d * d),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x0 = self.inputs[0].data
            x1 = self.inputs[1].data
            g = force_array((x0 - x1) * gy._data * x0.dtype.type(2))
            return tuple(variable.Variable._new(g if i == 0 else -g, False) for i in indexes)
        x0, x1 = self.get_retained_inputs()
        g = 2.0 * (x0 - x1) * gy
        return tuple(g if i == 0 else -g for i in indexes)


def squared_error(x0: Any, x1: Any) -> variable.Variable:
    """Elementwise squared error: :math:`(x_0 - x_1)^2`.

    Args:
        x0: Variable or array.
        x1: Variable or array of the same shape and dtype.

    Returns:
        A Variable of the inputs' shape.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> squared_error(numpy.array([1.0, 3.0], 'f'), numpy.array([0.0, 1.0], 'f')).array
        array([1., 4.], dtype=float32)
    """
    return SquaredError().apply((x0, x1))[0]
