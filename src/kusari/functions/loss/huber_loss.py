"""Huber loss."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.loss import _util
from kusari.utils import type_check


class HuberLoss(FunctionNode):
    """Quadratic within ``delta`` of the target, linear outside."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def __init__(self, delta: float, reduce: str = "sum_along_second_axis") -> None:
        self.delta = delta
        self.reduce = reduce

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x", "t"))
        _util.same_float(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, t = inputs
        xp = get_array_module(x)
        d = x - t
        ad = abs(d)
        delta = x.dtype.type(self.delta)
        self.mask = ad <= delta
        loss = xp.where(self.mask, d * d * x.dtype.type(0.5), delta * (ad - delta * 0.5))
        if self.reduce == "sum_along_second_axis":
            return loss.sum(axis=1),
        return loss.astype(x.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape

        gy, = grad_outputs
        x, t = self.get_retained_inputs()
        xp = x.xp
        if self.reduce == "sum_along_second_axis":
            shape = list(x.shape)
            shape[1] = 1
            gy = broadcast_to(reshape(gy, tuple(shape)), x.shape)
        d = x.array - t.array
        outside = (xp.sign(d) * self.delta * ~self.mask).astype(x.dtype)
        # the gradient is d inside the band, delta * sign(d) outside (clip(d, -delta, delta))
        g = gy * ((x - t) * self.mask.astype(x.dtype) + outside)
        return tuple(g if i == 0 else -g for i in indexes)


def huber_loss(x: Any, t: Any, delta: float,
               reduce: str = "sum_along_second_axis") -> variable.Variable:
    """Huber loss: :math:`\\frac12 d^2` if :math:`|d| \\le \\delta`, else
    :math:`\\delta (|d| - \\frac12 \\delta)`, with :math:`d = x - t`.

    Args:
        x: Predictions.
        t: Targets of the same shape and dtype.
        delta: The threshold between the quadratic and linear parts.
        reduce: ``'sum_along_second_axis'`` (sum over axis 1) or ``'no'``.

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> x = numpy.array([[0.5, 3.0]], numpy.float32)
        >>> huber_loss(x, numpy.zeros_like(x), 1.0).array
        array([2.625], dtype=float32)
    """
    _util.check_reduce(reduce, ("sum_along_second_axis", "no"), capital=True)
    return HuberLoss(delta, reduce).apply((x, t))[0]
