"""Log of the sum of exponentials over axes, computed stably."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math._reduction import (
    axes_ok,
    check_float_and_axes,
    keepdims_shape,
    normalize_axis,
)
from kusari.utils import force_array


class LogSumExp(FunctionNode):
    """``log(sum(exp(x)))`` over ``axis``; the gradient is the softmax of ``x`` times ``gy``."""

    def __init__(self, axis: Any = None) -> None:
        self.axis = normalize_axis(axis, "logsumexp")

    def _fast_check(self, in_data: tuple) -> bool:
        return axes_ok(in_data[0], self.axis)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_and_axes(in_types, self.axis)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        xp = get_array_module(x)
        m = x.max(axis=self.axis, keepdims=True)
        m = xp.where(xp.isfinite(m), m, xp.zeros((), x.dtype))
        s = xp.exp(x - m).sum(axis=self.axis, keepdims=True)
        y = xp.log(s) + m
        return force_array(y.reshape(_reduced_shape(x.shape, self.axis)), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.exponential import exp

        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        shape = keepdims_shape(x.shape, self.axis)
        y = broadcast_to(reshape(y, shape), x.shape)
        gy = broadcast_to(reshape(gy, shape), x.shape)
        return gy * exp(x - y),


def _reduced_shape(shape: tuple, axes: tuple | None) -> tuple:
    if axes is None:
        return ()
    ax = {a % len(shape) for a in axes}
    return tuple(s for i, s in enumerate(shape) if i not in ax)


def logsumexp(x: Any, axis: int | tuple | None = None) -> variable.Variable:
    """``log(sum(exp(x), axis))``, shifted by the maximum to avoid overflow.

    Args:
        x: Input Variable or array (floating point).
        axis: None (all axes), an int or a tuple of ints.

    Returns:
        The reduced Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float, or an axis is out of range.

    Example:
        >>> import numpy
        >>> round(logsumexp(numpy.zeros(2, numpy.float32)).array.item(), 4)
        0.6931
    """
    return LogSumExp(axis).apply((x,))[0]
