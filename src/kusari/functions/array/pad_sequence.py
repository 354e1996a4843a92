"""Pad variable-length sequences into one batch array."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class PadSequence(FunctionNode):
    """Stack ``xs[i]`` into rows of a ``(n, length, ...)`` array filled with ``padding``."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, length: int | None, padding: Any) -> None:
        self.length = length
        self.padding = padding

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() > 0)
        for i, t in enumerate(in_types):
            type_check.argname((t,), (f"x{i}",))
            type_check.expect(
                t.ndim > 0,
                t.shape[1:] == in_types[0].shape[1:],
                t.dtype == in_types[0].dtype,
            )
        if self.length is not None:
            for t in in_types:
                type_check.expect(t.shape[0] <= self.length)

    def forward(self, inputs: tuple) -> tuple:
        x0 = inputs[0]
        if not all(x.ndim > 0 and x.shape[1:] == x0.shape[1:] and x.dtype == x0.dtype
                   for x in inputs) or (self.length is not None and
                                        any(len(x) > self.length for x in inputs)):
            self._check_data_type_forward(inputs)
        xp = get_array_module(*inputs)
        self._lengths = [len(x) for x in inputs]
        length = max(self._lengths) if self.length is None else self.length
        y = xp.full((len(inputs), length) + x0.shape[1:], self.padding, dtype=x0.dtype)
        for i, x in enumerate(inputs):
            y[i, :len(x)] = x
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.get_item import get_item

        gy, = grad_outputs
        return tuple(get_item(gy, (i, slice(0, self._lengths[i]))) for i in indexes)


def pad_sequence(xs: Sequence[Any], length: int | None = None,
                 padding: Any = 0) -> variable.Variable:
    """Pad sequences of different lengths to one length and stack them.

    Args:
        xs: Variables or arrays of shape ``(L_i, ...)``, equal beyond the first axis.
        length: The padded length; None uses the longest ``L_i``.
        padding: The fill value.

    Returns:
        A Variable of shape ``(len(xs), length, ...)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is empty, an input is 0-dimensional,
            the trailing shapes or dtypes differ, or an input exceeds ``length``.

    Example:
        >>> import numpy
        >>> xs = [numpy.ones(2, numpy.float32), numpy.ones(1, numpy.float32)]
        >>> pad_sequence(xs, padding=-1).array.tolist()
        [[1.0, 1.0], [1.0, -1.0]]
    """
    return PadSequence(length, padding).apply(tuple(xs))[0]
