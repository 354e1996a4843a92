"""Repeat a whole array along each axis, like ``numpy.tile``."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Tile(FunctionNode):
    """Tile by ``reps``; the gradient sums the tiles back together."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, reps: int | tuple) -> None:
        if isinstance(reps, int):
            self.reps: tuple = (reps,)
        elif isinstance(reps, tuple) and all(isinstance(r, int) for r in reps):
            self.reps = reps
        else:
            raise TypeError(f"reps must be int or tuple of ints.\nActual: {type(reps)}")
        if any(r < 0 for r in self.reps):
            raise ValueError("All elements in reps must be zero or larger")

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return get_array_module(x).tile(x, self.reps),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.sum import sum as f_sum

        gy, = grad_outputs
        ndim = gy.ndim
        shape = (1,) * (ndim - len(self._in_shape)) + self._in_shape
        reps = (1,) * (ndim - len(self.reps)) + self.reps
        # (r0, s0, r1, s1, ...): the tile index then the position within the tile
        interleaved = tuple(v for pair in zip(reps, shape) for v in pair)
        g = reshape(gy, interleaved)
        g = f_sum(g, axis=tuple(range(0, 2 * ndim, 2)))
        return reshape(g, self._in_shape),


def tile(x: Any, reps: int | tuple) -> variable.Variable:
    """Construct an array by repeating ``x`` ``reps`` times along each axis.

    Args:
        x: Input Variable or array.
        reps: An int or a tuple of non-negative ints; shorter than ``x.ndim`` applies to
            the last axes, longer prepends axes.

    Returns:
        The tiled Variable.

    Raises:
        TypeError: ``reps`` is not an int or a tuple of ints.
        ValueError: An element of ``reps`` is negative.

    Example:
        >>> import numpy
        >>> tile(numpy.array([1.0, 2.0]), 2).array.tolist()
        [1.0, 2.0, 1.0, 2.0]
    """
    return Tile(reps).apply((x,))[0]
