"""Clipped rectified linear unit and ReLU6."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x, scale_by
from kusari.utils import force_array


class ClippedReLU(FunctionNode):
    """``min(max(0, x), z)``; the derivative is 1 inside ``(0, z)`` and 0 elsewhere."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, z: float) -> None:
        if not isinstance(z, float):
            raise TypeError(f"clipped_relu: z must be float value, got {type(z).__name__}")
        if not z > 0:
            raise ValueError(f"clipped_relu: z must be positive, got {z}")
        self.cap = z

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        t = x.dtype.type
        return force_array(xp.clip(x, t(0), t(self.cap)), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x = self.inputs[0].data
        return scale_by(grad_outputs[0], (0 < x) & (x < self.cap)),


def clipped_relu(x: Any, z: float = 20.0) -> variable.Variable:
    """Clipped rectifier: :math:`f(x) = \\min(\\max(0, x), z)`.

    Args:
        x: Input Variable or array, float.
        z: The clipping value, a positive Python float.

    Returns:
        The output, same shape and dtype.

    Raises:
        TypeError: ``z`` is not a float.
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> clipped_relu(numpy.array([-1.0, 5.0, 30.0], numpy.float32)).array.tolist()
        [0.0, 5.0, 20.0]
    """
    return ClippedReLU(z).apply((x,))[0]


def relu6(x: Any) -> variable.Variable:
    """ReLU6: :math:`f(x) = \\min(\\max(0, x), 6)`.

    Example:
        >>> import numpy
        >>> relu6(numpy.array([-1.0, 3.0, 7.0], numpy.float32)).array.tolist()
        [0.0, 3.0, 6.0]
    """
    return ClippedReLU(6.0).apply((x,))[0]
