"""Interchange two axes."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Swapaxes(FunctionNode):
    """Swap ``axis1`` and ``axis2``; the gradient swaps them back."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis1: int, axis2: int) -> None:
        self.axis1 = axis1
        self.axis2 = axis2

    @property
    def label(self) -> str:
        return "Swapaxes"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)

    def forward(self, inputs: tuple) -> tuple:
        return inputs[0].swapaxes(self.axis1, self.axis2),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Swapaxes(self.axis1, self.axis2).apply(grad_outputs)


def swapaxes(x: Any, axis1: int, axis2: int) -> variable.Variable:
    """Interchange two axes of ``x``.

    Args:
        x: Input Variable or array.
        axis1: The first axis.
        axis2: The second axis.

    Returns:
        A view of ``x`` with the axes swapped.

    Raises:
        numpy.exceptions.AxisError: An axis is out of range.

    Example:
        >>> import numpy
        >>> swapaxes(numpy.zeros((2, 3, 4), numpy.float32), 0, 2).shape
        (4, 3, 2)
    """
    return Swapaxes(axis1, axis2).apply((x,))[0]
