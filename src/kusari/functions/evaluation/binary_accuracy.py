"""Binary classification accuracy."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


class BinaryAccuracy(FunctionNode):
    """The fraction of ``[y >= 0] == t`` over labels other than -1 (not differentiable)."""

    ignore_label = -1

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "t"))
        x_type, t_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            t_type.dtype.kind == "i",
            t_type.shape == x_type.shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        y, t = inputs
        xp = get_array_module(y)
        c = (y >= 0).ravel()
        t = t.ravel()
        count = xp.maximum(1, (t != self.ignore_label).sum())
        return xp.asarray((c == t).sum() / count, dtype=y.dtype),


def binary_accuracy(y: Any, t: Any) -> variable.Variable:
    """Binary accuracy: the prediction is 1 where :math:`y \\ge 0`, else 0; samples with
    label -1 are ignored (the accuracy is 0 when all are).

    Args:
        y: Scores, float.
        t: Labels in ``{0, 1, -1}``, same shape, signed integers.

    Returns:
        A 0-d Variable of ``y``'s dtype (not differentiable).

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> y = numpy.array([-2.0, 0.0, 3.0], numpy.float32)
        >>> float(binary_accuracy(y, numpy.array([0, 1, -1], numpy.int32)).array)
        1.0
    """
    return BinaryAccuracy().apply((y, t))[0]
