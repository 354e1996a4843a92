"""Extract a diagonal, like ``numpy.diagonal``."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Diagonal(FunctionNode):
    """The ``offset`` diagonal of the ``(axis1, axis2)`` planes, moved to the last axis."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, offset: int, axis1: int, axis2: int) -> None:
        self.offset = offset
        self.axis1 = axis1
        self.axis2 = axis2

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        type_check.expect(max(self.axis1, self.axis2) < x.ndim)
        type_check.expect(-x.ndim <= min(self.axis1, self.axis2))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return x.diagonal(self.offset, self.axis1, self.axis2).copy(),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return DiagonalGrad(self._in_shape, self.offset, self.axis1, self.axis2).apply(
            grad_outputs)


class DiagonalGrad(FunctionNode):
    """Write a gradient onto the diagonal of zeros; its own gradient reads it back."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple, offset: int, axis1: int, axis2: int) -> None:
        self.shape = shape
        self.offset = offset
        self.axis1 = axis1
        self.axis2 = axis2

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        xp = get_array_module(gy)
        gx = xp.zeros(self.shape, gy.dtype)
        planes = xp.moveaxis(gx, (self.axis1, self.axis2), (-2, -1))
        n = gy.shape[-1]
        i = xp.arange(n)
        rows = i + max(-self.offset, 0)
        cols = i + max(self.offset, 0)
        planes[..., rows, cols] = gy
        return gx,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Diagonal(self.offset, self.axis1, self.axis2).apply(grad_outputs)


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> variable.Variable:
    """The diagonal of ``x`` in the ``(axis1, axis2)`` planes, as a new last axis.

    Args:
        x: Input Variable or array with at least two dimensions.
        offset: Diagonal offset; positive is above the main diagonal.
        axis1: The first axis of the planes.
        axis2: The second axis of the planes.

    Returns:
        The diagonal elements.

    Raises:
        kusari.utils.type_check.InvalidType: An axis is out of range.

    Example:
        >>> import numpy
        >>> diagonal(numpy.arange(4.0).reshape(2, 2)).array.tolist()
        [0.0, 3.0]
    """
    return Diagonal(offset, axis1, axis2).apply((x,))[0]
