"""Contrastive loss on pairs."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.loss import _util
from kusari.utils import type_check


class Contrastive(FunctionNode):
    """Pulls similar pairs (``y = 1``) together and pushes others beyond ``margin``."""

    def __init__(self, margin: float, reduce: str = "mean") -> None:
        if margin <= 0:
            raise ValueError("margin should be positive value.")
        self.margin = margin
        self.reduce = reduce

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ("x0", "x1", "y"))
        x0, x1, y = in_types
        type_check.expect(x0.dtype.kind == "f", x0.dtype == x1.dtype, y.dtype.kind == "i",
                          x0.shape == x1.shape, x1.shape[0] == y.shape[0],
                          x1.shape[0] > 0, x0.ndim == 2, x1.ndim == 2, y.ndim == 1)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1, 2))
        x0, x1, y = inputs
        xp = get_array_module(x0)
        diff = x0 - x1
        dist_sq = (diff * diff).sum(axis=1)
        dist = xp.sqrt(dist_sq)
        hinge = xp.maximum(self.margin - dist, 0)
        yf = y.astype(x0.dtype)
        loss = (yf * dist_sq + (1 - yf) * hinge * hinge) * x0.dtype.type(0.5)
        self.diff, self.dist, self.hinge, self.yf = diff, dist, hinge, yf
        if self.reduce == "mean":
            return xp.asarray(loss.sum() / x0.dtype.type(len(x0)), x0.dtype),
        return loss.astype(x0.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        xp = get_array_module(self.diff)
        g = grad_outputs[0].array
        dt = self.diff.dtype
        with_d = xp.where(self.dist > 0, self.dist, 1)
        coef = self.yf - (1 - self.yf) * xp.where(self.dist > 0, self.hinge / with_d, 0)
        if self.reduce == "mean":
            coef = coef * (g / dt.type(len(self.diff)))
        else:
            coef = coef * g
        gx0 = (self.diff * coef[:, None]).astype(dt, copy=False)
        return variable.Variable(gx0), variable.Variable(-gx0), None


def contrastive(x0: Any, x1: Any, y: Any, margin: float = 1,
                reduce: str = "mean") -> variable.Variable:
    """Contrastive loss: :math:`\\frac12 (y d^2 + (1 - y) \\max(m - d, 0)^2)` per pair,
    with :math:`d = \\|x_0 - x_1\\|_2`.

    Args:
        x0: First embeddings ``(N, D)``.
        x1: Second embeddings ``(N, D)``.
        y: Int labels ``(N,)``: 1 for similar pairs, 0 for dissimilar ones.
        margin: The margin :math:`m` (positive).
        reduce: ``'mean'`` (sum over pairs divided by ``N``) or ``'no'``.

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid or ``margin`` is not positive.
        kusari.utils.type_check.InvalidType: Wrong shapes or dtypes.

    Example:
        >>> import numpy
        >>> x = numpy.zeros((2, 3), numpy.float32)
        >>> contrastive(x, x, numpy.array([1, 0], numpy.int32)).array.item()
        0.25
    """
    _util.check_reduce(reduce, ("mean", "no"))
    return Contrastive(margin, reduce).apply((x0, x1, y))[0]
