"""Indexing: NumPy's basic and advanced indexing on Variables."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check


def _normalize_slices(slices: Any) -> Any:
    if isinstance(slices, list):
        # a list index is an advanced index (not a tuple of indices)
        return numpy.asarray(slices)
    if isinstance(slices, tuple):
        return tuple(numpy.asarray(s) if isinstance(s, list) else s for s in slices)
    return slices


def _is_advanced(slices: Any) -> bool:
    items = slices if isinstance(slices, tuple) else (slices,)
    for s in items:
        if s is None or s is Ellipsis or isinstance(s, (int, slice, numpy.integer)):
            continue
        return True
    return False


def _to_xp(slices: Any, xp: Any) -> Any:
    if xp is numpy:
        return slices
    if isinstance(slices, tuple):
        return tuple(xp.asarray(s) if isinstance(s, numpy.ndarray) else s for s in slices)
    return xp.asarray(slices) if isinstance(slices, numpy.ndarray) else slices


class GetItem(FunctionNode):
    """Index with ints, slices, ``None``, ``Ellipsis``, integer arrays or boolean masks."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any) -> None:
        if isinstance(slices, variable.Variable):
            slices = slices.array
        self.slices = _normalize_slices(slices)

    @property
    def label(self) -> str:
        return "GetItem"

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        self._in_dtype = x.dtype
        from kusari.backend import get_array_module

        xp = get_array_module(x)
        y = x[_to_xp(self.slices, xp)]
        if not isinstance(y, type(x)):
            y = xp.asarray(y)
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return GetItemGrad(self.slices, self._in_shape).apply(grad_outputs)


class GetItemGrad(FunctionNode):
    """Scatter a gradient into zeros of the input's shape (adding at repeated indices)."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any, in_shape: tuple) -> None:
        self.slices = slices
        self._in_shape = in_shape

    def forward(self, inputs: tuple) -> tuple:
        from kusari.backend import get_array_module

        gy, = inputs
        xp = get_array_module(gy)
        gx = xp.zeros(self._in_shape, gy.dtype)
        slices = _to_xp(self.slices, xp)
        if _is_advanced(self.slices):
            if xp is numpy:
                numpy.add.at(gx, slices, gy)
            else:
                import cupyx

                cupyx.scatter_add(gx, slices, gy)
        else:
            gx[slices] = gy
        return gx,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return get_item(grad_outputs[0], self.slices),


def get_item(x: Any, slices: Any) -> variable.Variable:
    """``x[slices]`` as a differentiable function.

    Args:
        x: Input Variable or array.
        slices: An int, slice, ``None``, ``Ellipsis``, integer array or list, boolean
            mask, or a tuple of these.

    Returns:
        The selected elements.

    Example:
        >>> import numpy
        >>> x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
        >>> get_item(x, (slice(None), [0, 2])).array.tolist()
        [[0.0, 2.0], [3.0, 5.0]]
    """
    return GetItem(slices).apply((x,))[0]
