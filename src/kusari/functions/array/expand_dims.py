"""Insert an axis of length one."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class ExpandDims(FunctionNode):
    """Insert a length-one axis at ``axis``; the gradient reshapes back."""

    _fast_check = staticmethod(_fast_check.always)  # ``reshape`` below fails on a bad axis

    def __init__(self, axis: int) -> None:
        if not isinstance(axis, int):
            raise TypeError(f"expand_dims: axis must be int, got {type(axis).__name__}")
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(x.ndim >= self.axis)
        else:
            type_check.expect(x.ndim >= -self.axis - 1)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        n = x.ndim + 1
        if not -n <= self.axis < n:
            self._check_data_type_forward(inputs)
        axis = self.axis % n
        return x.reshape(x.shape[:axis] + (1,) + x.shape[axis:]),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.reshape import reshape

        gy, = grad_outputs
        axis = self.axis % gy.ndim
        return reshape(gy, gy.shape[:axis] + gy.shape[axis + 1:]),


def expand_dims(x: Any, axis: int) -> variable.Variable:
    """Insert an axis of length one at position ``axis``.

    Args:
        x: Input Variable or array.
        axis: Where the new axis goes in the result (``-x.ndim - 1 <= axis <= x.ndim``).

    Returns:
        A view of ``x`` with one more dimension.

    Raises:
        kusari.utils.type_check.InvalidType: ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> expand_dims(numpy.zeros((2, 3), numpy.float32), 1).shape
        (2, 1, 3)
    """
    return ExpandDims(axis).apply((x,))[0]
