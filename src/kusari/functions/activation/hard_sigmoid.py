"""Hard sigmoid."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x, scale_by
from kusari.utils import force_array


class HardSigmoid(FunctionNode):
    """``clip(0.2 x + 0.5, 0, 1)``; the derivative is 0.2 inside ``(-2.5, 2.5)``, else 0."""

    _fast_check = staticmethod(_fast_check.first_float)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        t = x.dtype.type
        return force_array(xp.clip(x * t(0.2) + t(0.5), t(0), t(1)), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x = self.inputs[0].data
        xp = get_array_module(x)
        t = x.dtype.type
        coef = xp.where((-2.5 < x) & (x < 2.5), t(0.2), t(0))
        return scale_by(grad_outputs[0], coef),


def hard_sigmoid(x: Any) -> variable.Variable:
    """Hard sigmoid: :math:`f(x) = \\min(\\max(0, 0.2 x + 0.5), 1)`.

    Args:
        x: Input Variable or array, float.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> hard_sigmoid(numpy.array([-3.0, 0.0, 3.0], numpy.float32)).array.tolist()
        [0.0, 0.5, 1.0]
    """
    return HardSigmoid().apply((x,))[0]
