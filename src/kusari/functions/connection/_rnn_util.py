"""Private differentiable helpers of the N-step RNN functions."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check


class Sigmoid(FunctionNode):
    """``1 / (1 + exp(-x))``, computed stably; differentiable to any order."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        half = x.dtype.type(0.5)
        return get_array_module(x).tanh(x * half) * half + half,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y * (1.0 - y),


class Tanh(FunctionNode):
    """``tanh(x)``; differentiable to any order."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return get_array_module(x).tanh(x),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (1.0 - y * y),


def sigmoid(x: Any) -> variable.Variable:
    return Sigmoid().apply((x,))[0]


def tanh(x: Any) -> variable.Variable:
    return Tanh().apply((x,))[0]


class Slice(FunctionNode):
    """``x[slices]`` for basic (non-advanced) indexes; the gradient pads ``gy`` with zeros."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any) -> None:
        self.slices = slices

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._shape = x.shape
        return x[self.slices],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return SliceGrad(self.slices, self._shape).apply(grad_outputs)


class SliceGrad(FunctionNode):
    """Zeros of the input's shape with ``gy`` at ``slices``; the gradient slices again."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any, shape: tuple) -> None:
        self.slices = slices
        self.shape = shape

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        gx = get_array_module(gy).zeros(self.shape, gy.dtype)
        gx[self.slices] = gy
        return gx,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Slice(self.slices).apply(grad_outputs)


def slice_(x: Any, slices: Any) -> variable.Variable:
    return Slice(slices).apply((x,))[0]


class Concat(FunctionNode):
    """Concatenation along ``axis``; its gradient slices ``gy`` back into pieces."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, inputs: tuple) -> tuple:
        self.sizes = [x.shape[self.axis] for x in inputs]
        return get_array_module(*inputs).concatenate(inputs, axis=self.axis),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        starts = [0]
        for s in self.sizes:
            starts.append(starts[-1] + s)
        lead = (slice(None),) * self.axis
        return tuple(slice_(gy, lead + (slice(starts[i], starts[i + 1]),))
                     for i in indexes)


def concat(xs: Any, axis: int) -> variable.Variable:
    return Concat(axis).apply(tuple(xs))[0]


def stack(xs: Any) -> variable.Variable:
    from kusari.functions.array.reshape import reshape

    return concat([reshape(x, (1,) + tuple(x.shape)) for x in xs], 0)


class TransposeSequence(FunctionNode):
    """Batch-major sequences (sorted by length, descending) to time-major steps and back.

    The transposition is its own inverse, so its gradient is itself.
    """

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        if not inputs:
            return ()
        xp = get_array_module(*inputs)
        self._xp = xp
        self._dtype = inputs[0].dtype
        self.shapes = [x.shape for x in inputs]
        length = inputs[0].shape[0]
        out = []
        for t in range(length):
            out.append(xp.stack([x[t] for x in inputs if x.shape[0] > t]))
        return tuple(out)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gys = []
        for t, g in enumerate(grad_outputs):
            if g is None:
                n = sum(1 for s in self.shapes if s[0] > t)
                g = variable.Variable._new(
                    self._xp.zeros((n,) + self.shapes[0][1:], self._dtype), False)
            gys.append(g)
        gxs = TransposeSequence().apply(tuple(gys))
        return tuple(gxs[i] for i in indexes)


def transpose_sequence(xs: Any) -> tuple:
    return TransposeSequence().apply(tuple(xs))
