"""Roll an axis backwards to a position, like ``numpy.rollaxis``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Rollaxis(FunctionNode):
    """Move ``axis`` to before ``start``; the gradient applies the inverse permutation."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int, start: int = 0) -> None:
        if not isinstance(axis, int):
            raise TypeError("axis must be int")
        if not isinstance(start, int):
            raise TypeError("start must be int")
        self.axis = axis
        self.start = start

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(x.ndim > self.axis)
        else:
            type_check.expect(x.ndim > -self.axis - 1)
        if self.start >= 0:
            type_check.expect(x.ndim >= self.start)
        else:
            type_check.expect(x.ndim > -self.start - 1)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        n = x.ndim
        if not (-n <= self.axis < n and -n <= self.start <= n):
            self._check_data_type_forward(inputs)
        axis = self.axis % n
        start = self.start + n if self.start < 0 else self.start
        perm = [i for i in range(n) if i != axis]
        perm.insert(start - 1 if start > axis else start, axis)
        self._perm = tuple(perm)
        return x.transpose(self._perm),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.transpose import transpose

        return transpose(grad_outputs[0], tuple(numpy.argsort(self._perm).tolist())),


def rollaxis(x: Any, axis: int, start: int = 0) -> variable.Variable:
    """Roll ``axis`` backwards until it lies before position ``start``.

    Args:
        x: Input Variable or array.
        axis: The axis to roll.
        start: The position it is rolled to (``-x.ndim <= start <= x.ndim``).

    Returns:
        A view of ``x`` with permuted axes.

    Raises:
        kusari.utils.type_check.InvalidType: ``axis`` or ``start`` is out of range.

    Example:
        >>> import numpy
        >>> rollaxis(numpy.zeros((2, 3, 4), numpy.float32), 2).shape
        (4, 2, 3)
    """
    return Rollaxis(axis, start).apply((x,))[0]
