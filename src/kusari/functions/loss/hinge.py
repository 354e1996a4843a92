"""Hinge loss for multi-class classification (one-vs-all)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.loss import _util
from kusari.utils import type_check


class Hinge(FunctionNode):
    """``max(0, 1 - s x)`` with ``s = +1`` at the true class and ``-1`` elsewhere."""

    def __init__(self, norm: str = "L1", reduce: str = "mean") -> None:
        self.norm = norm
        self.reduce = reduce

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x", "t"))
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == "f", t_type.dtype.kind == "i",
                          x_type.ndim == 2, t_type.ndim == 1,
                          x_type.shape[0] == t_type.shape[0])

    def forward(self, inputs: tuple) -> tuple:
        x, t = inputs
        xp = get_array_module(x)
        sign = xp.ones_like(x)
        sign[xp.arange(len(t)), t] = -1
        self.sign = sign
        bd = xp.maximum(sign * x + 1, 0)
        self.bd = bd
        loss = bd * bd if self.norm == "L2" else bd
        if self.reduce == "mean":
            return xp.asarray(loss.sum() / x.dtype.type(max(len(x), 1)), x.dtype),
        return loss,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        g = gy.array
        if self.norm == "L1":
            gx = self.sign * (self.bd > 0)
        else:
            gx = 2 * self.sign * self.bd
        gx = gx.astype(self.bd.dtype, copy=False)
        if self.reduce == "mean":
            gx = gx * (g / self.bd.dtype.type(max(len(gx), 1)))
        else:
            gx = gx * g
        return variable.Variable(gx), None


def hinge(x: Any, t: Any, norm: str = "L1", reduce: str = "mean") -> variable.Variable:
    """Hinge loss: :math:`\\max(0, 1 - s_{ik} x_{ik})` (squared for ``'L2'``) where
    :math:`s_{ik} = 1` if :math:`k = t_i` and :math:`-1` otherwise.

    Args:
        x: Scores ``(N, K)``.
        t: Int labels ``(N,)``.
        norm: ``'L1'`` or ``'L2'``.
        reduce: ``'mean'`` (sum divided by ``N``) or ``'no'`` (elementwise).

    Returns:
        The loss Variable.

    Raises:
        NotImplementedError: ``norm`` is neither ``'L1'`` nor ``'L2'``.
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: Wrong shapes or dtypes.

    Example:
        >>> import numpy
        >>> x = numpy.array([[2.0, -2.0]], numpy.float32)
        >>> hinge(x, numpy.array([0], numpy.int32)).array.item()
        0.0
    """
    if norm not in ("L1", "L2"):
        raise NotImplementedError("norm should be either 'L1' or 'L2'")
    _util.check_reduce(reduce, ("mean", "no"))
    return Hinge(norm, reduce).apply((x, t))[0]
