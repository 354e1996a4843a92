"""Split an array into its slices along an axis (the inverse of :func:`stack`)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Separate(FunctionNode):
    """Slices ``x[..., i, ...]`` along ``axis``; the gradient stacks them back."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(self.axis < x.ndim)
        else:
            type_check.expect(-self.axis <= x.ndim)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._shape = x.shape
        self._dtype = x.dtype
        xp = get_array_module(x)
        moved = xp.moveaxis(x, self.axis, 0)
        return tuple(moved[i] if moved[i].ndim else xp.asarray(moved[i])
                     for i in range(moved.shape[0]))

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.stack import stack

        xp = None
        gys = []
        shape = list(self._shape)
        del shape[self.axis % len(self._shape)]
        for g in grad_outputs:
            if g is None:
                if xp is None:
                    ref = next(r for r in grad_outputs if r is not None)
                    xp = get_array_module(ref.array)
                g = variable.Variable._new(xp.zeros(tuple(shape), self._dtype), False)
            gys.append(g)
        return stack(gys, self.axis),


def separate(x: Any, axis: int = 0) -> tuple:
    """Split ``x`` into ``x.shape[axis]`` Variables, dropping that axis.

    Args:
        x: Input Variable or array.
        axis: The axis to separate along.

    Returns:
        A tuple of Variables, each of ``x.ndim - 1`` dimensions.

    Raises:
        kusari.utils.type_check.InvalidType: ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> ys = separate(numpy.zeros((2, 3), numpy.float32), axis=1)
        >>> len(ys), ys[0].shape
        (3, (2,))
    """
    return Separate(axis).apply((x,))
