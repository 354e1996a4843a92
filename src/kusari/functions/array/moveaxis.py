"""Move axes to new positions, like ``numpy.moveaxis``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _as_axes(axes: Any, name: str) -> tuple:
    if isinstance(axes, int):
        return (axes,)
    if isinstance(axes, (tuple, list)) and all(isinstance(a, int) for a in axes):
        return tuple(axes)
    raise TypeError(f"{name} must be int, tuple of ints or list of ints")


class Moveaxis(FunctionNode):
    """Move ``source`` axes to ``destination``; the gradient moves them back."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, source: Any, destination: Any) -> None:
        self.source = _as_axes(source, "source")
        self.destination = _as_axes(destination, "destination")
        if len(self.source) != len(self.destination):
            raise ValueError("`source` and `destination` arguments must have the same "
                             "number of elements")

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        type_check.expect(x.dtype.kind == "f")
        for axes in (self.source, self.destination):
            for a in axes:
                if a >= 0:
                    type_check.expect(x.ndim > a)
                else:
                    type_check.expect(x.ndim > -a - 1)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        n = x.ndim
        if not all(-n <= a < n for a in self.source + self.destination):
            self._check_data_type_forward(inputs)
        src = [a % n for a in self.source]
        dst = [a % n for a in self.destination]
        if len(set(src)) != len(src) or len(set(dst)) != len(dst):
            raise ValueError("moveaxis: repeated axis in `source` or `destination`")
        perm = [i for i in range(n) if i not in src]
        for d, s in sorted(zip(dst, src)):
            perm.insert(d, s)
        self._perm = tuple(perm)
        return x.transpose(self._perm),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.transpose import transpose

        return transpose(grad_outputs[0], tuple(numpy.argsort(self._perm).tolist())),


def moveaxis(x: Any, source: int | tuple, destination: int | tuple) -> variable.Variable:
    """Move axes of ``x`` to new positions; the others keep their order.

    Args:
        x: Input Variable or array (floating point).
        source: Original positions of the axes to move (int or sequence of ints).
        destination: Their positions in the result, as many as ``source``.

    Returns:
        A view of ``x`` with permuted axes.

    Raises:
        ValueError: ``source`` and ``destination`` differ in length, or repeat an axis.
        kusari.utils.type_check.InvalidType: An axis is out of range or ``x`` is not
            floating point.

    Example:
        >>> import numpy
        >>> moveaxis(numpy.zeros((2, 3, 4), numpy.float32), 0, -1).shape
        (3, 4, 2)
    """
    return Moveaxis(source, destination).apply((x,))[0]
