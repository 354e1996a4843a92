"""Repeat each element of an array, like ``numpy.repeat``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _normalize_repeats(repeats: Any) -> tuple:
    if isinstance(repeats, (int, numpy.integer)):
        repeats = (int(repeats),)
    elif not (isinstance(repeats, tuple)
              and all(isinstance(r, (int, numpy.integer)) for r in repeats)):
        raise TypeError("repeats must be int or tuple of ints")
    if any(r < 0 for r in repeats):
        raise ValueError("all elements in repeats must be zero or larger")
    return tuple(int(r) for r in repeats)


class Repeat(FunctionNode):
    """Repeat elements along ``axis`` (of the flattened array when ``axis`` is None)."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, repeats: Any, axis: int | None = None) -> None:
        self.repeats = _normalize_repeats(repeats)
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        self._in_dtype = x.dtype
        reps = self.repeats[0] if len(self.repeats) == 1 else self.repeats
        return get_array_module(x).repeat(x, reps, self.axis),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return RepeatGrad(self.repeats, self.axis, self._in_shape).apply(grad_outputs)


class RepeatGrad(FunctionNode):
    """Sum each run of repeated elements back into one; its gradient repeats again."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, repeats: tuple, axis: int | None, in_shape: tuple) -> None:
        self.repeats = repeats
        self.axis = axis
        self._in_shape = in_shape

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        xp = get_array_module(gy)
        if self.axis is None:
            n = 1
            for s in self._in_shape:
                n *= s
            axis, length, g = 0, n, gy.reshape(-1)
        else:
            axis = self.axis % len(self._in_shape)
            length, g = self._in_shape[axis], gy
        if len(self.repeats) == 1:
            r = self.repeats[0]
            shape = g.shape[:axis] + (length, r) + g.shape[axis + 1:]
            gx = g.reshape(shape).sum(axis=axis + 1)
        else:
            seg = numpy.repeat(numpy.arange(length), self.repeats)
            gx = xp.zeros(g.shape[:axis] + (length,) + g.shape[axis + 1:], g.dtype)
            moved = xp.moveaxis(gx, axis, 0)
            xp.add.at(moved, xp.asarray(seg), xp.moveaxis(g, axis, 0))
        return gx.reshape(self._in_shape).astype(gy.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Repeat(self.repeats, self.axis).apply(grad_outputs)


def repeat(x: Any, repeats: int | tuple, axis: int | None = None) -> variable.Variable:
    """Repeat each element of ``x``.

    Args:
        x: Input Variable or array.
        repeats: An int, or a tuple of ints (one per element along ``axis``, or a single
            one for all).
        axis: The axis along which to repeat; None flattens ``x`` first.

    Returns:
        The repeated Variable.

    Raises:
        TypeError: ``repeats`` is not an int or a tuple of ints.
        ValueError: An element of ``repeats`` is negative.

    Example:
        >>> import numpy
        >>> repeat(numpy.array([1.0, 2.0]), 2).array.tolist()
        [1.0, 1.0, 2.0, 2.0]
    """
    return Repeat(repeats, axis).apply((x,))[0]
