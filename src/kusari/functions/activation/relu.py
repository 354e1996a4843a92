"""Rectified linear unit."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _cpu_kernels, _fast_check
from kusari.utils import force_array, type_check

_new = variable.Variable._new


class ReLU(FunctionNode):
    """``max(x, 0)``; the derivative at 0 is taken as 0."""

    _fast_check = staticmethod(_fast_check.first_float)
    # a gradient Variable that max pooling already masked with ``y > 0`` (see
    # ``max_pooling_nd.py``); backward passes exactly that object on unmasked
    _masked_grad: Any = None

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        if type(x) is numpy.ndarray:
            return _cpu_kernels.relu(x),
        return get_array_module(x).maximum(x, 0, dtype=x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y = self._retained_output_data[0]
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            masked, self._masked_grad = self._masked_grad, None
            if gy is masked:
                return gy,  # zero wherever y <= 0 already
            return _new(_cpu_kernels.relu_grad(gy._data, y), False),
        return ReLUGrad2(y).apply((gy,))


class ReLUGrad2(FunctionNode):
    """``gy * (y > 0)``, itself differentiable in ``gy`` for higher-order gradients."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, y: Any) -> None:
        self.b = y > 0

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        return force_array(gy * self.b, gy.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ReLUGrad2Mask(self.b).apply(grad_outputs)


class ReLUGrad2Mask(FunctionNode):
    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, b: Any) -> None:
        self.b = b

    def forward(self, inputs: tuple) -> tuple:
        g, = inputs
        return force_array(g * self.b, g.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ReLUGrad2Mask(self.b).apply(grad_outputs)


def relu(x: Any) -> variable.Variable:
    """Rectified linear unit: :math:`f(x) = \\max(0, x)`.

    The derivative at 0 is taken as 0.

    Args:
        x: Input Variable or array, float.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> relu(numpy.array([-1.0, 0.0, 2.0], numpy.float32)).array.tolist()
        [0.0, 0.0, 2.0]
    """
    y, = ReLU().apply((x,))
    return y
