"""Reverse the order of elements along an axis."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Flip(FunctionNode):
    """Reverse along ``axis``; the gradient is reversed back."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int) -> None:
        if not isinstance(axis, int):
            raise TypeError("axis must be int")
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(x.ndim > self.axis)
        else:
            type_check.expect(x.ndim >= -self.axis)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        if not -x.ndim <= self.axis < x.ndim:
            self._check_data_type_forward(inputs)
        index = [slice(None)] * x.ndim
        index[self.axis] = slice(None, None, -1)
        return x[tuple(index)],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Flip(self.axis).apply(grad_outputs)


def flip(x: Any, axis: int) -> variable.Variable:
    """Reverse ``x`` along ``axis``.

    Args:
        x: Input Variable or array.
        axis: The axis to reverse (an int).

    Returns:
        A view of ``x`` with that axis reversed.

    Raises:
        TypeError: ``axis`` is not an int.
        kusari.utils.type_check.InvalidType: ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> flip(numpy.array([1.0, 2.0, 3.0]), 0).array.tolist()
        [3.0, 2.0, 1.0]
    """
    return Flip(axis).apply((x,))[0]
