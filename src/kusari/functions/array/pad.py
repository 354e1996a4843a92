"""Pad an array, like ``numpy.pad``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check

# Modes whose output elements are copies of input elements: their gradient gathers the
# output gradient back to the source positions.
_GATHER_MODES = ("edge", "reflect", "symmetric", "wrap")


class Pad(FunctionNode):
    """``numpy.pad``; differentiable for ``constant``, ``edge``, ``reflect``,
    ``symmetric`` and ``wrap``."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, pad_width: Any, mode: str, **keywords: Any) -> None:
        self.pad_width = pad_width
        self.mode = mode
        self.keywords = keywords

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        self._dtype = x.dtype
        xp = get_array_module(x)
        return xp.pad(x, self.pad_width, mode=self.mode, **self.keywords),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        if self.mode == "constant":
            from kusari.functions.array.get_item import get_item

            widths = numpy.broadcast_to(numpy.asarray(self.pad_width, dtype=numpy.int64),
                                        (len(self._in_shape), 2))
            index = tuple(slice(int(lo), int(lo) + s)
                          for (lo, _), s in zip(widths, self._in_shape))
            return get_item(grad_outputs[0], index),
        if self.mode in _GATHER_MODES:
            return PadGatherGrad(self).apply(grad_outputs)
        raise NotImplementedError(f"pad: mode {self.mode!r} is not differentiable; use one "
                                  f"of 'constant', {', '.join(map(repr, _GATHER_MODES))}")


class PadGatherGrad(FunctionNode):
    """Add each output gradient to the input element it was copied from."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, pad: Pad) -> None:
        self._pad = pad

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        xp = get_array_module(gy)
        p = self._pad
        size = 1
        for s in p._in_shape:
            size *= s
        source = numpy.pad(numpy.arange(size).reshape(p._in_shape), p.pad_width, mode=p.mode)
        gx = xp.bincount(xp.asarray(source.ravel()), weights=gy.ravel(), minlength=size)
        return gx.reshape(p._in_shape).astype(gy.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        p = self._pad
        return Pad(p.pad_width, p.mode).apply(grad_outputs)


def pad(x: Any, pad_width: Any, mode: str, **keywords: Any) -> variable.Variable:
    """Pad ``x`` as ``numpy.pad(x, pad_width, mode, **keywords)`` does.

    The gradient is exact for the modes that copy input elements (``'constant'``,
    ``'edge'``, ``'reflect'``, ``'symmetric'``, ``'wrap'``); other modes have no backward.

    Args:
        x: Input Variable or array (floating point).
        pad_width: Widths as ``numpy.pad`` takes them (an int, a pair, or one pair per axis).
        mode: The ``numpy.pad`` mode, e.g. ``'constant'``.
        **keywords: Further ``numpy.pad`` options, e.g. ``constant_values``.

    Returns:
        The padded Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> pad(numpy.ones(2, numpy.float32), 1, 'constant').array.tolist()
        [0.0, 1.0, 1.0, 0.0]
    """
    return Pad(pad_width, mode, **keywords).apply((x,))[0]
