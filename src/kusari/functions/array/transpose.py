"""Permute the axes of an array."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Transpose(FunctionNode):
    """Permute axes; the gradient is permuted back."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axes: Any = None) -> None:
        self.axes = None if axes is None else tuple(axes)

    @property
    def label(self) -> str:
        return "Transpose"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        if self.axes is not None:
            type_check.expect(in_types[0].ndim == len(self.axes))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        return x.transpose(self.axes),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if self.axes is None:
            return transpose(gy),
        inv = tuple(numpy.argsort([a % len(self.axes) for a in self.axes]).tolist())
        return transpose(gy, inv),


def transpose(x: Any, axes: Any = None) -> variable.Variable:
    """Permute the dimensions of ``x``.

    Args:
        x: Input Variable or array.
        axes: The permutation; None reverses the axes.

    Returns:
        The transposed Variable.

    Example:
        >>> import numpy
        >>> transpose(numpy.zeros((2, 3, 4), numpy.float32), (2, 0, 1)).shape
        (4, 2, 3)
    """
    return Transpose(axes).apply((x,))[0]
