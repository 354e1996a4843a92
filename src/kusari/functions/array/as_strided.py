"""A strided view of an array's elements, like ``numpy.lib.stride_tricks.as_strided``."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _index_map(xp: Any, size: int, shape: tuple, strides: tuple, offset: int) -> Any:
    """Flat input positions read by each output element (strides in elements)."""
    idx = xp.full(shape, offset, dtype=xp.int64)
    for axis, (n, s) in enumerate(zip(shape, strides)):
        step = xp.arange(n, dtype=xp.int64) * s
        idx += step.reshape((1,) * axis + (n,) + (1,) * (len(shape) - axis - 1))
    return idx


class AsStrided(FunctionNode):
    """Read ``x``'s elements (in C order) through ``shape``/``strides`` (in elements).

    Overlapping windows are allowed: the gradient adds up every read of an element.
    """

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple, strides: tuple, storage_offset: int | None = None) -> None:
        self.shape = tuple(int(s) for s in shape)
        self.strides = tuple(int(s) for s in strides)
        if len(self.shape) != len(self.strides):
            raise ValueError("as_strided: shape and strides must have the same length, got "
                             f"{self.shape} and {self.strides}")
        self.storage_offset = 0 if storage_offset is None else int(storage_offset)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        xp = get_array_module(x)
        idx = _index_map(xp, x.size, self.shape, self.strides, self.storage_offset)
        if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= x.size):
            raise ValueError("Out of buffer: too large index was specified")
        self._idx = idx
        return x.reshape(-1)[idx],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return AsStridedGrad(self).apply(grad_outputs)


class AsStridedGrad(FunctionNode):
    """Add each output gradient to the element it was read from."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, fwd: AsStrided) -> None:
        self._fwd = fwd

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        xp = get_array_module(gy)
        shape = self._fwd._in_shape
        size = 1
        for s in shape:
            size *= s
        gx = xp.bincount(self._fwd._idx.ravel(), weights=gy.ravel(), minlength=size)
        return gx.astype(gy.dtype, copy=False).reshape(shape),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        f = self._fwd
        return AsStrided(f.shape, f.strides, f.storage_offset).apply(grad_outputs)


def as_strided(x: Any, shape: tuple, strides: tuple,
               storage_offset: int | None = None) -> variable.Variable:
    """Elements of ``x`` read through a new shape and strides.

    Strides and the offset count elements, not bytes, over ``x`` laid out in C order.
    Unlike NumPy's, the result is a copy, so writing to it cannot corrupt ``x``.

    Args:
        x: Input Variable or array.
        shape: Shape of the result.
        strides: Step in elements along each axis of the result.
        storage_offset: Position of the first element read (default 0).

    Returns:
        The strided Variable.

    Raises:
        ValueError: A read falls outside ``x``.

    Example:
        >>> import numpy
        >>> as_strided(numpy.arange(4.0), (3, 2), (1, 1)).array.tolist()
        [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
    """
    return AsStrided(shape, strides, storage_offset).apply((x,))[0]
