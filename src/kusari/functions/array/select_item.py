"""Pick one element per row by an index vector."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _fast(in_data: tuple) -> bool:
    x, t = in_data
    return t.dtype.kind == "i" and x.ndim == 2 and t.ndim == 1 and len(x) == len(t)


class SelectItem(FunctionNode):
    """``y[i] = x[i, t[i]]``; the gradient scatters into zeros."""

    _fast_check = staticmethod(_fast)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "t"))
        x, t = in_types
        type_check.expect(
            t.dtype.kind == "i",
            x.ndim == 2,
            t.ndim == 1,
            x.shape[0] == t.shape[0],
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((1,))
        x, t = inputs
        self._in_shape = x.shape
        xp = get_array_module(x)
        return x[xp.arange(len(t)), t],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        t = self.get_retained_inputs()[0]
        ret = []
        if 0 in indexes:
            ret.append(SelectItemGrad(self._in_shape).apply((t, grad_outputs[0]))[0])
        if 1 in indexes:
            ret.append(None)
        return tuple(ret)


class SelectItemGrad(FunctionNode):
    """Zeros of ``shape`` with ``gy[i]`` at ``[i, t[i]]``; its gradient selects again."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple) -> None:
        self.shape = shape

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        t, gy = inputs
        xp = get_array_module(gy)
        gx = xp.zeros(self.shape, gy.dtype)
        gx[xp.arange(len(t)), t] = gy
        return gx,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        t = self.get_retained_inputs()[0]
        ret = []
        for i in indexes:
            ret.append(None if i == 0 else select_item(grad_outputs[0], t))
        return tuple(ret)


def select_item(x: Any, t: Any) -> variable.Variable:
    """Select ``x[i, t[i]]`` for each row ``i``.

    Args:
        x: Variable or array of shape ``(B, N)``.
        t: Int array of shape ``(B,)`` with ``-N <= t[i] < N``.

    Returns:
        A Variable of shape ``(B,)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``t`` is not an int vector of ``len(x)``
            entries, or ``x`` is not two-dimensional.

    Example:
        >>> import numpy
        >>> x = numpy.array([[1.0, 2.0], [3.0, 4.0]], numpy.float32)
        >>> select_item(x, numpy.array([1, 0], numpy.int32)).array.tolist()
        [2.0, 3.0]
    """
    return SelectItem().apply((x, t))[0]
