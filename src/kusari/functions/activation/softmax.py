"""Softmax along an axis."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check

_new = variable.Variable._new


def _check_axis(in_types: Any, axis: int) -> None:
    type_check.argname(in_types, ("x",))
    x_type, = in_types
    type_check.expect(x_type.dtype.kind == "f", -x_type.ndim <= axis, axis < x_type.ndim)


def _fast_axis(axis: int) -> Any:
    def check(in_data: tuple) -> bool:
        x = in_data[0]
        return x.dtype.kind == "f" and -x.ndim <= axis < x.ndim

    return check


def softmax_array(x: Any, axis: int) -> Any:
    """Softmax of a raw array (shifted by the maximum, so it never overflows)."""
    xp = get_array_module(x)
    y = x - x.max(axis=axis, keepdims=True)
    xp.exp(y, out=y)
    y /= y.sum(axis=axis, keepdims=True)
    return y


class Softmax(FunctionNode):
    """``exp(x) / sum(exp(x), axis)``; gradient ``y * (gy - sum(y * gy, axis))``."""

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis
        self._fast_check = _fast_axis(axis)

    def check_type_forward(self, in_types: Any) -> None:
        _check_axis(in_types, self.axis)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        return force_array(softmax_array(inputs[0], self.axis)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        axis = self.axis
        if not _fast_check.backprop_enabled():
            y = self._retained_output_data[0]
            gx = y * gy._data
            gx -= y * gx.sum(axis=axis, keepdims=True)
            return _new(force_array(gx), False),
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.math.sum import sum as f_sum

        y, = self.get_retained_outputs()
        gx = y * gy
        s = broadcast_to(f_sum(gx, axis=axis, keepdims=True), gx.shape)
        return gx - y * s,


def softmax(x: Any, axis: int = 1) -> variable.Variable:
    """Softmax: :math:`y_i = \\exp(x_i) / \\sum_j \\exp(x_j)` along ``axis``.

    Args:
        x: Input Variable or array, float.
        axis: The axis to normalize along.

    Returns:
        The output, same shape and dtype; it sums to one along ``axis``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point or ``axis`` is out
            of range.

    Example:
        >>> import numpy
        >>> softmax(numpy.array([[0.0, 0.0]], numpy.float32)).array.tolist()
        [[0.5, 0.5]]
    """
    return Softmax(axis).apply((x,))[0]
