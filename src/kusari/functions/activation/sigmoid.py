"""Logistic sigmoid."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.backends import cuda
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x
from kusari.utils import force_array

_new = variable.Variable._new


def _sigmoid_array(x: Any) -> Any:
    # tanh form: no overflow in exp for large |x|
    xp = get_array_module(x)
    half = x.dtype.type(0.5)
    return force_array(xp.tanh(x * half) * half + half, x.dtype)


class Sigmoid(FunctionNode):
    """``1 / (1 + exp(-x))``; the derivative is ``y (1 - y)``."""

    _fast_check = staticmethod(_fast_check.first_float)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward_cpu(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        return _sigmoid_array(inputs[0]),

    def forward_gpu(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return cuda.elementwise(
            "T x", "T y", "y = tanh(x * (T)0.5) * (T)0.5 + (T)0.5", "kusari_sigmoid_fwd"
        )(x),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            y = self._retained_output_data[0]
            return _new(gy._data * y * (1 - y), False),
        y, = self.get_retained_outputs()
        return SigmoidGrad().apply((y, gy))


class SigmoidGrad(FunctionNode):
    """``gy * y * (1 - y)`` as a node of ``(y, gy)``, for higher-order gradients."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        y, gy = inputs
        return force_array(gy * y * (1 - y), gy.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, gy = self.get_retained_inputs()
        g, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(g * gy * (1 - 2 * y))
            else:
                ret.append(SigmoidGrad().apply((y, g))[0])
        return tuple(ret)


def sigmoid(x: Any) -> variable.Variable:
    """Elementwise logistic sigmoid: :math:`f(x) = (1 + \\exp(-x))^{-1}`.

    Args:
        x: Input Variable or array, float.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> sigmoid(numpy.array([0.0], numpy.float32)).array.tolist()
        [0.5]
    """
    return Sigmoid().apply((x,))[0]
