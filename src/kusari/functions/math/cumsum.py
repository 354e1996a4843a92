"""Cumulative sum along an axis."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math._reduction import axes_ok, check_float_and_axes


class Cumsum(FunctionNode):
    """Running sum along ``axis`` (over the flattened array when None).

    The gradient is the reversed running sum of the output gradient.
    """

    def __init__(self, axis: int | None = None) -> None:
        if axis is not None and not isinstance(axis, int):
            raise TypeError(f"cumsum: axis must be None or int, got {axis!r}")
        self.axis = axis

    def _fast_check(self, in_data: tuple) -> bool:
        return axes_ok(in_data[0], None if self.axis is None else (self.axis,))

    def check_type_forward(self, in_types: Any) -> None:
        check_float_and_axes(in_types, None if self.axis is None else (self.axis,))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return get_array_module(x).cumsum(x, axis=self.axis, dtype=x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.flip import flip
        from kusari.functions.array.reshape import reshape

        gy, = grad_outputs
        axis = 0 if self.axis is None else self.axis
        gx = flip(cumsum(flip(gy, axis), axis), axis)
        return reshape(gx, self._in_shape),


def cumsum(x: Any, axis: int | None = None) -> variable.Variable:
    """Cumulative sum of the elements along ``axis``.

    Args:
        x: Input Variable or array (floating point).
        axis: The axis; None flattens ``x`` first.

    Returns:
        The running sums (same shape as ``x``, or flat when ``axis`` is None).

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float, or ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> cumsum(numpy.array([1.0, 2.0, 3.0], numpy.float32)).array.tolist()
        [1.0, 3.0, 6.0]
    """
    return Cumsum(axis).apply((x,))[0]
