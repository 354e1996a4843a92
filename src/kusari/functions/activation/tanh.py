"""Hyperbolic tangent."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x
from kusari.utils import force_array

_new = variable.Variable._new


class Tanh(FunctionNode):
    """``tanh(x)``; the derivative is ``1 - y^2``."""

    _fast_check = staticmethod(_fast_check.first_float)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return force_array(get_array_module(x).tanh(x)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            y = self._retained_output_data[0]
            return _new(gy._data * (1 - y * y), False),
        y, = self.get_retained_outputs()
        return TanhGrad().apply((y, gy))


class TanhGrad(FunctionNode):
    """``gy * (1 - y^2)`` as a node of ``(y, gy)``, for higher-order gradients."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        y, gy = inputs
        return force_array(gy * (1 - y * y), gy.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, gy = self.get_retained_inputs()
        g, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(-2 * y * gy * g)
            else:
                ret.append(TanhGrad().apply((y, g))[0])
        return tuple(ret)


def tanh(x: Any) -> variable.Variable:
    """Elementwise hyperbolic tangent: :math:`f(x) = \\tanh(x)`.

    Args:
        x: Input Variable or array, float.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> tanh(numpy.array([0.0], numpy.float32)).array.tolist()
        [0.0]
    """
    return Tanh().apply((x,))[0]
