"""Triplet loss."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.loss import _util
from kusari.utils import type_check


class Triplet(FunctionNode):
    """``max(|a - p|^2 - |a - n|^2 + margin, 0)`` per triplet."""

    def __init__(self, margin: float, reduce: str = "mean") -> None:
        if margin <= 0:
            raise ValueError("margin should be positive value.")
        self.margin = margin
        self.reduce = reduce

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ("anchor", "positive", "negative"))
        a, p, n = in_types
        type_check.expect(a.dtype.kind == "f", a.dtype == p.dtype, a.dtype == n.dtype,
                          a.shape == p.shape, a.shape == n.shape, a.shape[0] > 0)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1, 2))
        a, p, n = inputs
        xp = get_array_module(a)
        axes = tuple(range(1, a.ndim))
        dpos = a - p
        dneg = a - n
        dist = (dpos * dpos).sum(axis=axes) - (dneg * dneg).sum(axis=axes) + self.margin
        self.mask = (dist > 0).astype(a.dtype)
        loss = xp.maximum(dist, 0).astype(a.dtype, copy=False)
        if self.reduce == "mean":
            return xp.asarray(loss.sum() / a.dtype.type(len(a)), a.dtype),
        return loss,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        a, p, n = (v.array for v in self.get_retained_inputs())
        g = grad_outputs[0].array
        dt = a.dtype
        coef = self.mask * (g / dt.type(len(a)) if self.reduce == "mean" else g) * 2
        coef = coef.reshape((-1,) + (1,) * (a.ndim - 1)).astype(dt, copy=False)
        ga = (n - p) * coef
        gp = (p - a) * coef
        gn = (a - n) * coef
        return tuple(variable.Variable(g_) for g_ in (ga, gp, gn))


def triplet(anchor: Any, positive: Any, negative: Any, margin: float = 0.2,
            reduce: str = "mean") -> variable.Variable:
    """Triplet loss: :math:`\\max(\\|a - p\\|^2 - \\|a - n\\|^2 + m, 0)` per sample.

    Args:
        anchor: Anchor embeddings ``(N, D)``.
        positive: Positive embeddings, same shape.
        negative: Negative embeddings, same shape.
        margin: The margin :math:`m` (positive).
        reduce: ``'mean'`` or ``'no'``.

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid or ``margin`` is not positive.
        kusari.utils.type_check.InvalidType: Wrong shapes or dtypes.

    Example:
        >>> import numpy
        >>> a = numpy.zeros((1, 2), numpy.float32)
        >>> round(triplet(a, a, a + 1).array.item(), 4)
        0.0
    """
    _util.check_reduce(reduce, ("mean", "no"))
    return Triplet(margin, reduce).apply((anchor, positive, negative))[0]
