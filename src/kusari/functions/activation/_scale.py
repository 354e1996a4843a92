"""Multiplication by a constant array: the gradient of piecewise-linear activations."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array


class ScaleByArray(FunctionNode):
    """``g * c`` for a constant array (or mask) ``c``; linear, so it is its own gradient."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, c: Any) -> None:
        self.c = c

    def forward(self, inputs: tuple) -> tuple:
        g, = inputs
        return force_array(g * self.c, g.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ScaleByArray(self.c).apply(grad_outputs)


def scale_by(g: variable.Variable, c: Any) -> variable.Variable:
    """``g * c`` with ``c`` constant; plain arrays when no graph is being recorded."""
    if not _fast_check.backprop_enabled():
        return variable.Variable._new(force_array(g._data * c, g._data.dtype), False)
    return ScaleByArray(c).apply((g,))[0]


def check_float_x(in_types: Any) -> None:
    """The usual one-input check: ``x`` is floating point."""
    from kusari.utils import type_check

    type_check.argname(in_types, ("x",))
    type_check.expect(in_types[0].dtype.kind == "f")


class BasicSlice(FunctionNode):
    """``x[slices]`` for basic (slice/int) indices; the gradient scatters into zeros."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any) -> None:
        self.slices = slices

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return x[self.slices],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return _Scatter(self.slices, self._in_shape).apply(grad_outputs)


class _Scatter(FunctionNode):
    """Zeros of ``shape`` with ``g`` written at ``slices``: the adjoint of :class:`BasicSlice`."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any, shape: tuple) -> None:
        self.slices = slices
        self.shape = shape

    def forward(self, inputs: tuple) -> tuple:
        from kusari.backend import get_array_module

        g, = inputs
        out = get_array_module(g).zeros(self.shape, g.dtype)
        out[self.slices] = g
        return out,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return BasicSlice(self.slices).apply(grad_outputs)


def basic_slice(x: Any, slices: Any) -> variable.Variable:
    """``x[slices]`` (basic indexing only) as a differentiable function."""
    return BasicSlice(slices).apply((x,))[0]
