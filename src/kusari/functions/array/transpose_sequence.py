"""Transpose a list of sequences sorted by decreasing length (time-major <-> batch-major)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _transpose(xs: tuple, length: int) -> tuple:
    if length == 0:
        return ()
    xp = get_array_module(*xs)
    outs = []
    for t in range(length):
        rows = [x[t] for x in xs if len(x) > t]
        outs.append(xp.stack(rows))
    return tuple(outs)


class TransposeSequence(FunctionNode):
    """``ys[t][i] = xs[i][t]``; the gradient is the same transposition."""

    _fast_check = staticmethod(_fast_check.always)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() >= 1)
        for i in range(1, type_check.eval(in_types.size())):
            type_check.expect(
                in_types[i - 1].shape[0] >= in_types[i].shape[0],
                in_types[i].shape[1:] == in_types[0].shape[1:],
                in_types[i].dtype == in_types[0].dtype,
            )

    def forward(self, inputs: tuple) -> tuple:
        x0 = inputs[0]
        for a, b in zip(inputs[:-1], inputs[1:]):
            if len(a) < len(b) or b.shape[1:] != x0.shape[1:] or b.dtype != x0.dtype:
                self._check_data_type_forward(inputs)
        self._shapes = [x.shape for x in inputs]
        self._dtype = x0.dtype
        return _transpose(inputs, len(x0))

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari import variable

        ref = next(g for g in grad_outputs if g is not None)
        xp = get_array_module(ref.array)
        gys = []
        unit = self._shapes[0][1:]
        for t, g in enumerate(grad_outputs):
            if g is None:
                n = sum(1 for s in self._shapes if s[0] > t)
                g = variable.Variable._new(xp.zeros((n,) + unit, self._dtype), False)
            gys.append(g)
        gxs = TransposeSequence().apply(gys)
        # a sequence of length 0 gets no slot in the transposition
        out = []
        k = 0
        for shape in self._shapes:
            if shape[0] == 0:
                out.append(variable.Variable._new(xp.zeros(shape, self._dtype), False))
            else:
                out.append(gxs[k])
                k += 1
        return tuple(out[i] for i in indexes)


def transpose_sequence(xs: Sequence[Any]) -> tuple:
    """Transpose sequences: from ``len(xs)`` sequences of lengths ``L_i`` (sorted
    non-increasing) to ``L_0`` batches, batch ``t`` holding the ``t``-th step of each
    sequence longer than ``t``.

    Args:
        xs: Variables or arrays of shape ``(L_i, ...)``, sorted by decreasing ``L_i``.

    Returns:
        A tuple of Variables (empty when ``xs`` is empty).

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is not sorted by length, or the
            trailing shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> ys = transpose_sequence([numpy.zeros((3, 2)), numpy.zeros((1, 2))])
        >>> [y.shape for y in ys]
        [(2, 2), (1, 2), (1, 2)]
    """
    if len(xs) == 0:
        return ()
    return TransposeSequence().apply(tuple(xs))
