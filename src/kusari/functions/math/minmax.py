"""Maximum and minimum over axes, and the positions where they are reached."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math._reduction import (
    axes_ok,
    check_float_and_axes,
    keepdims_shape,
    normalize_axis,
)
from kusari.utils import force_array, type_check


class _SelectorBase(FunctionNode):
    """Max or min over ``axis``; every element equal to the result receives the gradient."""

    _op = "max"

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        self.axis = normalize_axis(axis, self._op)
        self.keepdims = keepdims

    def _fast_check(self, in_data: tuple) -> bool:
        return axes_ok(in_data[0], self.axis)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_and_axes(in_types, self.axis)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        y = getattr(x, self._op)(axis=self.axis, keepdims=self.keepdims)
        self._y = force_array(y if self.keepdims else
                              y.reshape(keepdims_shape(x.shape, self.axis)))
        return force_array(y),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape

        x, = self.get_retained_inputs()
        gy, = grad_outputs
        # ties: each maximal element gets the full gradient (as Chainer does)
        mask = (x.array == self._y).astype(x.dtype)
        g = broadcast_to(reshape(gy, self._y.shape), x.shape)
        return g * mask,


class Max(_SelectorBase):
    _op = "max"


class Min(_SelectorBase):
    _op = "min"


class _IndexSelectorBase(FunctionNode):
    """Index of the max or min along ``axis`` (int32; not differentiable)."""

    _op = "argmax"

    def __init__(self, axis: int | None = None) -> None:
        if axis is not None and not isinstance(axis, int):
            raise TypeError(f"{self._op}: axis must be None or int, got {axis!r}")
        self.axis = axis

    def _fast_check(self, in_data: tuple) -> bool:
        return axes_ok(in_data[0], None if self.axis is None else (self.axis,))

    def check_type_forward(self, in_types: Any) -> None:
        x = in_types[0]
        type_check.expect(in_types.size() == 1, x.dtype.kind == "f")
        if self.axis is not None:
            if self.axis >= 0:
                type_check.expect(self.axis < x.ndim)
            else:
                type_check.expect(-self.axis - 1 < x.ndim)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        xp = get_array_module(x)
        return xp.asarray(getattr(x, self._op)(axis=self.axis)).astype(numpy.int32),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return None,


class ArgMax(_IndexSelectorBase):
    _op = "argmax"


class ArgMin(_IndexSelectorBase):
    _op = "argmin"


def max(x: Any, axis: int | tuple | None = None,  # noqa: A001
        keepdims: bool = False) -> variable.Variable:
    """Maximum over the given axes.

    The gradient goes to every element equal to the maximum.

    Args:
        x: Input Variable or array (floating point).
        axis: None (all axes), an int or a tuple of ints.
        keepdims: Keep the reduced axes with length one.

    Returns:
        The maxima.

    Raises:
        TypeError: ``axis`` is of the wrong type.
        ValueError: ``axis`` repeats an axis.
        kusari.utils.type_check.InvalidType: ``x`` is not float, or an axis is out of range.

    Example:
        >>> import numpy
        >>> max(numpy.array([[1.0, 3.0], [2.0, 0.0]], numpy.float32), axis=1).array.tolist()
        [3.0, 2.0]
    """
    return Max(axis, keepdims).apply((x,))[0]


def min(x: Any, axis: int | tuple | None = None,  # noqa: A001
        keepdims: bool = False) -> variable.Variable:
    """Minimum over the given axes (see :func:`max`).

    Example:
        >>> import numpy
        >>> min(numpy.array([[1.0, 3.0], [2.0, 0.0]], numpy.float32), axis=1).array.tolist()
        [1.0, 0.0]
    """
    return Min(axis, keepdims).apply((x,))[0]


def argmax(x: Any, axis: int | None = None) -> variable.Variable:
    """Index of the maximum along ``axis`` (of the flattened array when None), as int32.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float, or ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> argmax(numpy.array([[1.0, 3.0], [2.0, 0.0]], numpy.float32), axis=1).array.tolist()
        [1, 0]
    """
    return ArgMax(axis).apply((x,))[0]


def argmin(x: Any, axis: int | None = None) -> variable.Variable:
    """Index of the minimum along ``axis`` (of the flattened array when None), as int32.

    Example:
        >>> import numpy
        >>> argmin(numpy.array([[1.0, 3.0], [2.0, 0.0]], numpy.float32), axis=1).array.tolist()
        [0, 1]
    """
    return ArgMin(axis).apply((x,))[0]
