"""Softplus."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x
from kusari.functions.activation.sigmoid import _sigmoid_array, sigmoid
from kusari.utils import force_array

_new = variable.Variable._new


class Softplus(FunctionNode):
    """``log(1 + exp(beta x)) / beta``; the derivative is ``sigmoid(beta x)``."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, beta: float = 1.0) -> None:
        self.beta = float(beta)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        bx = x * x.dtype.type(self.beta)
        # max(bx, 0) + log(1 + exp(-|bx|)): stable for either sign
        y = (xp.maximum(bx, 0) + xp.log1p(xp.exp(-xp.abs(bx)))) * x.dtype.type(1 / self.beta)
        return force_array(y, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x = self.inputs[0].data
            s = _sigmoid_array(x * x.dtype.type(self.beta))
            return _new(force_array(gy._data * s, x.dtype), False),
        x, = self.get_retained_inputs()
        return sigmoid(x * self.beta) * gy,


def softplus(x: Any, beta: float = 1.0) -> variable.Variable:
    """Softplus: :math:`f(x) = \\frac{1}{\\beta} \\log(1 + \\exp(\\beta x))`.

    Args:
        x: Input Variable or array, float.
        beta: The sharpness :math:`\\beta`.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> softplus(numpy.array([0.0])).array.round(4).tolist()
        [0.6931]
    """
    return Softplus(beta).apply((x,))[0]
