"""Classification accuracy."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


def check_label_types(in_types: Any) -> None:
    """``x`` float scores ``(N, C, ...)``, ``t`` integer labels ``(N, ...)``."""
    type_check.argname(in_types, ("x", "t"))
    x_type, t_type = in_types
    type_check.expect(x_type.dtype.kind == "f", t_type.dtype.kind == "i")
    t_ndim = type_check.eval(t_type.ndim)
    type_check.expect(
        x_type.ndim >= t_type.ndim,
        x_type.shape[0] == t_type.shape[0],
        x_type.shape[2:t_ndim + 1] == t_type.shape[1:],
    )
    for i in range(t_ndim + 1, type_check.eval(x_type.ndim)):
        type_check.expect(x_type.shape[i] == 1)


class Accuracy(FunctionNode):
    """The fraction of samples whose arg-max class equals the label (not differentiable)."""

    def __init__(self, ignore_label: int | None = None) -> None:
        self.ignore_label = ignore_label

    def check_type_forward(self, in_types: Any) -> None:
        check_label_types(in_types)

    def forward(self, inputs: tuple) -> tuple:
        y, t = inputs
        xp = get_array_module(y)
        pred = y.argmax(axis=1).reshape(t.shape)
        if self.ignore_label is None:
            return xp.asarray((pred == t).mean(dtype=y.dtype)),
        mask = t != self.ignore_label
        total = mask.sum()
        count = ((pred == t) & mask).sum()
        # 0 when every label is ignored (no division by zero)
        return xp.asarray(xp.where(total == 0, 0.0, count / xp.maximum(total, 1)),
                          dtype=y.dtype),


def accuracy(y: Any, t: Any, ignore_label: int | None = None) -> variable.Variable:
    """Multiclass accuracy: the mean of :math:`[\\mathrm{argmax}_j y_{i j \\dots} =
    t_{i \\dots}]` over samples whose label is not ``ignore_label``.

    Args:
        y: Scores of shape ``(N, C, ...)``, float.
        t: Labels of shape ``(N, ...)``, signed integers.
        ignore_label: A label to skip; the accuracy is 0 when all are skipped.

    Returns:
        A 0-d Variable of ``y``'s dtype (not differentiable).

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> y = numpy.array([[0.1, 0.9], [0.8, 0.2]], numpy.float32)
        >>> float(accuracy(y, numpy.array([1, 1], numpy.int32)).array)
        0.5
    """
    return Accuracy(ignore_label).apply((y, t))[0]
