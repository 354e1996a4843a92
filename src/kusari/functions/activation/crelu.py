"""Concatenated rectified linear unit."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check

_new = variable.Variable._new


class CReLU(FunctionNode):
    """``concat(max(x, 0), max(-x, 0))`` along ``axis``."""

    def __init__(self, axis: int = 1) -> None:
        if not isinstance(axis, int):
            raise TypeError(f"crelu: axis must be int, got {type(axis).__name__}")
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(
            in_types[0].dtype.kind == "f",
            in_types[0].ndim > self.axis,
            in_types[0].ndim >= -self.axis,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        zero = x.dtype.type(0)
        return xp.concatenate((xp.maximum(x, zero), xp.maximum(-x, zero)), axis=self.axis),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.activation._scale import basic_slice, scale_by

        x = self.inputs[0].data
        gy, = grad_outputs
        axis = self.axis % x.ndim
        n = x.shape[axis]
        lo = (slice(None),) * axis + (slice(0, n),)
        hi = (slice(None),) * axis + (slice(n, 2 * n),)
        if not _fast_check.backprop_enabled():
            g = gy._data
            return _new(g[lo] * (x > 0) - g[hi] * (x < 0), False),
        # d max(x, 0) = [x > 0], d max(-x, 0) = -[x < 0] (0 at the kink)
        return scale_by(basic_slice(gy, lo), x > 0) - scale_by(basic_slice(gy, hi), x < 0),


def crelu(x: Any, axis: int = 1) -> variable.Variable:
    """Concatenated ReLU: :math:`f(x) = (\\max(0, x), \\max(0, -x))` joined along ``axis``.

    Args:
        x: Input Variable or array, float.
        axis: The axis along which the two halves are joined.

    Returns:
        The output; its ``axis`` dimension is twice that of ``x``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point or ``axis`` is out
            of range.

    Example:
        >>> import numpy
        >>> crelu(numpy.array([[-1.0, 2.0]], numpy.float32)).array.tolist()
        [[0.0, 2.0, 1.0, 0.0]]
    """
    return CReLU(axis).apply((x,))[0]
