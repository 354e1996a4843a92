"""Join arrays along a new axis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _same_dtype_shape(in_data: tuple) -> bool:
    x0 = in_data[0]
    return all(x.dtype == x0.dtype and x.shape == x0.shape for x in in_data)


class Stack(FunctionNode):
    """Stack along a new ``axis``; the gradient is separated back."""

    # empty input and shape errors surface from ``stack``; dtypes are checked in forward
    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int = 0) -> None:
        if not isinstance(axis, int):
            raise TypeError(f"stack: axis must be int, got {type(axis).__name__}")
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        type_check.expect(-x0.ndim - 1 <= self.axis, self.axis <= x0.ndim)
        for t in in_types[1:]:
            type_check.expect(t.dtype == x0.dtype, t.shape == x0.shape)

    def forward(self, inputs: tuple) -> tuple:
        if not _same_dtype_shape(inputs):
            self._check_data_type_forward(inputs)
        return get_array_module(*inputs).stack(inputs, axis=self.axis),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.separate import separate

        gxs = separate(grad_outputs[0], self.axis)
        return tuple(gxs[i] for i in indexes)


def stack(xs: Sequence[Any], axis: int = 0) -> variable.Variable:
    """Stack Variables of one shape along a new axis.

    Args:
        xs: Variables or arrays of one shape and dtype.
        axis: Position of the new axis in the result (``-x.ndim - 1 <= axis <= x.ndim``).

    Returns:
        A Variable with one more dimension.

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is empty, shapes or dtypes differ, or
            ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> a = numpy.zeros((2, 3), numpy.float32)
        >>> stack((a, a), axis=1).shape
        (2, 2, 3)
    """
    return Stack(axis).apply(tuple(xs))[0]
