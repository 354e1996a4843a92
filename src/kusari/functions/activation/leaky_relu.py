"""Leaky rectified linear unit."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.backends import cuda
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x, scale_by
from kusari.utils import force_array


class LeakyReLU(FunctionNode):
    """``x`` where ``x >= 0``, ``slope * x`` elsewhere; the derivative at 0 is 1."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, slope: float = 0.2) -> None:
        self.slope = slope

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward_cpu(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        s = x.dtype.type(self.slope)
        return force_array(numpy.where(x >= 0, x, x * s), x.dtype),

    def forward_gpu(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        return cuda.elementwise(
            "T x, T slope", "T y", "y = x >= 0 ? x : (T)(x * slope)", "kusari_leaky_relu_fwd"
        )(x, x.dtype.type(self.slope)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x = self.inputs[0].data
        xp = get_array_module(x)
        coef = xp.where(x >= 0, x.dtype.type(1), x.dtype.type(self.slope))
        return scale_by(grad_outputs[0], coef),


def leaky_relu(x: Any, slope: float = 0.2) -> variable.Variable:
    """Leaky rectified linear unit: :math:`f(x) = x` if :math:`x \\ge 0`, else :math:`ax`.

    The derivative at 0 is taken as 1.

    Args:
        x: Input Variable or array, float.
        slope: The slope :math:`a` for negative inputs.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> leaky_relu(numpy.array([-1.0, 2.0], numpy.float32)).array.tolist()
        [-0.20000000298023224, 2.0]
    """
    return LeakyReLU(slope).apply((x,))[0]
