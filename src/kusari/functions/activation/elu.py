"""Exponential linear unit."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x
from kusari.utils import force_array

_new = variable.Variable._new


def _neg_branch(x: Any, alpha: float) -> Any:
    """``alpha * exp(x)`` where ``x <= 0``, computed without overflow elsewhere."""
    xp = get_array_module(x)
    return alpha * xp.exp(xp.minimum(x, 0))


class ELU(FunctionNode):
    """``x`` where ``x > 0``, ``alpha (exp(x) - 1)`` elsewhere."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        neg = xp.expm1(xp.minimum(x, 0)) * x.dtype.type(self.alpha)
        return force_array(xp.where(x > 0, x, neg), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x = self.inputs[0].data
            xp = get_array_module(x)
            d = xp.where(x > 0, x.dtype.type(1), _neg_branch(x, self.alpha).astype(x.dtype))
            return _new(force_array(gy._data * d, x.dtype), False),
        x, = self.get_retained_inputs()
        return ELUGrad(self.alpha, 1).apply((x,))[0] * gy,


class ELUGrad(FunctionNode):
    """The ``order``-th derivative of ELU at ``x``: 1 (first order) or 0 for ``x > 0``,
    ``alpha exp(x)`` elsewhere; its own derivative is the next order."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, alpha: float, order: int) -> None:
        self.alpha = alpha
        self.order = order

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        pos = x.dtype.type(1 if self.order == 1 else 0)
        return force_array(xp.where(x > 0, pos, _neg_branch(x, self.alpha).astype(x.dtype))),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, = self.get_retained_inputs()
        return ELUGrad(self.alpha, self.order + 1).apply((x,))[0] * grad_outputs[0],


def elu(x: Any, alpha: float = 1.0) -> variable.Variable:
    """Exponential linear unit: :math:`f(x) = x` if :math:`x > 0`, else
    :math:`\\alpha (\\exp(x) - 1)`.

    Args:
        x: Input Variable or array, float.
        alpha: The scale :math:`\\alpha` of the negative part.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> elu(numpy.array([0.0, 2.0], numpy.float32)).array.tolist()
        [0.0, 2.0]
    """
    return ELU(alpha).apply((x,))[0]
