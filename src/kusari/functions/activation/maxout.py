"""Maxout: the maximum over groups of units."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import scale_by
from kusari.utils import type_check


class _MaxOverAxis(FunctionNode):
    """Maximum along one axis; the gradient goes to every element equal to the maximum."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        y = x.max(axis=self.axis, keepdims=True)
        self._cond = x == y
        return y.reshape(y.shape[:self.axis] + y.shape[self.axis + 1:]),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape

        gy, = grad_outputs
        x_shape = self._cond.shape
        kd = x_shape[:self.axis] + (1,) + x_shape[self.axis + 1:]
        return scale_by(broadcast_to(reshape(gy, kd), x_shape), self._cond),


def maxout(x: Any, pool_size: int, axis: int = 1) -> variable.Variable:
    """Maxout: split ``axis`` into groups of ``pool_size`` units and take each maximum.

    :math:`y_{i} = \\max_{k < p} x_{i p + k}` along ``axis``.

    Args:
        x: Input Variable or array, float.
        pool_size: The number of units in a group, positive.
        axis: The axis to pool over; its length must be a multiple of ``pool_size``.

    Returns:
        The output; ``axis`` shrinks by a factor of ``pool_size``.

    Raises:
        ValueError: ``pool_size`` is not positive.
        kusari.utils.type_check.InvalidType: The axis length is not a multiple of
            ``pool_size``.

    Example:
        >>> import numpy
        >>> x = numpy.arange(6, dtype=numpy.float32).reshape(1, 6)
        >>> maxout(x, 3).array.tolist()
        [[2.0, 5.0]]
    """
    from kusari.functions.array.reshape import reshape

    if pool_size <= 0:
        raise ValueError("pool_size must be a positive integer.")
    x_shape = x.shape
    if x_shape[axis] % pool_size != 0:
        raise type_check.InvalidType(
            "x.shape[axis] % pool_size == 0",
            f"x.shape[axis]={x_shape[axis]}, pool_size={pool_size}",
            "axis dimension must be divided by pool_size",
        )
    axis %= len(x_shape)
    shape = x_shape[:axis] + (x_shape[axis] // pool_size, pool_size) + x_shape[axis + 1:]
    x = reshape(x, shape)
    if x.dtype.kind != "f":
        raise type_check.InvalidType(
            "x.dtype.kind == f", f"{x.dtype.kind} != f",
            f"\nInvalid operation is performed in: maxout (Forward)\n\n"
            f"Expect: x.dtype.kind == f\nActual: {x.dtype.kind} != f",
        )
    return _MaxOverAxis(axis + 1).apply((x,))[0]
