"""Join arrays along an existing axis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _same_dtype_ndim(in_data: tuple) -> bool:
    x0 = in_data[0]
    return all(x.dtype == x0.dtype and x.ndim == x0.ndim for x in in_data)


def _split_points(sizes: Sequence[int]) -> list:
    points, total = [], 0
    for s in sizes[:-1]:
        total += s
        points.append(total)
    return points


class Concat(FunctionNode):
    """Concatenate along ``axis``; the gradient is split back."""

    # shape and axis errors surface from ``concatenate`` itself (then the full check runs)
    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int = 1) -> None:
        if not isinstance(axis, int):
            raise TypeError(f"concat: axis must be int, got {type(axis).__name__}")
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        type_check.expect(x0.ndim > type_check.make_variable(self.axis, "axis"))
        type_check.expect(-x0.ndim <= self.axis, self.axis < x0.ndim)
        ndim = type_check.eval(x0.ndim)
        axis = self.axis % ndim
        for i in range(1, type_check.eval(in_types.size())):
            type_check.expect(x0.dtype == in_types[i].dtype, x0.ndim == in_types[i].ndim)
            for d in range(ndim):
                if d != axis:
                    type_check.expect(x0.shape[d] == in_types[i].shape[d])

    def forward(self, inputs: tuple) -> tuple:
        if not _same_dtype_ndim(inputs):
            self._check_data_type_forward(inputs)
        self._sizes = [x.shape[self.axis] for x in inputs]
        return get_array_module(*inputs).concatenate(inputs, axis=self.axis),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.split_axis import split_axis

        if len(self._sizes) == 1:
            return grad_outputs
        gxs = split_axis(grad_outputs[0], _split_points(self._sizes), self.axis)
        return tuple(gxs[i] for i in indexes)


def concat(xs: Sequence[Any], axis: int = 1) -> variable.Variable:
    """Concatenate Variables along an axis.

    Args:
        xs: Variables or arrays of one dtype whose shapes agree except along ``axis``.
        axis: The axis to join along (negative counts from the end).

    Returns:
        The concatenated Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is empty, or the shapes, ndims or
            dtypes disagree.

    Example:
        >>> import numpy
        >>> a = numpy.zeros((2, 3), numpy.float32)
        >>> concat((a, numpy.ones((2, 1), numpy.float32))).shape
        (2, 4)
    """
    return Concat(axis).apply(tuple(xs))[0]
