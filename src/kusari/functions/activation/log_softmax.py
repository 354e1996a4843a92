"""Logarithm of softmax."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation.softmax import _check_axis, _fast_axis
from kusari.utils import force_array

_new = variable.Variable._new


def logsumexp_array(x: Any, axis: int) -> Any:
    """``log(sum(exp(x), axis, keepdims=True))`` of a raw array, without overflow."""
    xp = get_array_module(x)
    m = x.max(axis=axis, keepdims=True)
    y = x - m
    xp.exp(y, out=y)
    s = y.sum(axis=axis, keepdims=True)
    xp.log(s, out=s)
    s += m
    return s


def log_softmax_array(x: Any, axis: int) -> Any:
    """Log-softmax of a raw array."""
    return x - logsumexp_array(x, axis)


class LogSoftmax(FunctionNode):
    """``x - logsumexp(x, axis)``; gradient ``gy - exp(y) * sum(gy, axis)``."""

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis
        self._fast_check = _fast_axis(axis)

    def check_type_forward(self, in_types: Any) -> None:
        _check_axis(in_types, self.axis)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        return force_array(log_softmax_array(inputs[0], self.axis)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        axis = self.axis
        if not _fast_check.backprop_enabled():
            y = self._retained_output_data[0]
            g = gy._data
            xp = get_array_module(y)
            return _new(force_array(g - xp.exp(y) * g.sum(axis=axis, keepdims=True)), False),
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.math.exponential import exp
        from kusari.functions.math.sum import sum as f_sum

        y, = self.get_retained_outputs()
        s = broadcast_to(f_sum(gy, axis=axis, keepdims=True), gy.shape)
        return gy - exp(y) * s,


def log_softmax(x: Any, axis: int = 1) -> variable.Variable:
    """Log-softmax: :math:`y_i = x_i - \\log \\sum_j \\exp(x_j)` along ``axis``.

    Computed stably (never via ``log(softmax(x))``).

    Args:
        x: Input Variable or array, float.
        axis: The axis to normalize along.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point or ``axis`` is out
            of range.

    Example:
        >>> import numpy
        >>> log_softmax(numpy.array([[0.0, 0.0]])).array.round(4).tolist()
        [[-0.6931, -0.6931]]
    """
    return LogSoftmax(axis).apply((x,))[0]
