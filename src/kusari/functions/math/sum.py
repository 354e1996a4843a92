"""Sums: over axes (:func:`sum`) and back to a broadcast source shape (:func:`sum_to`)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check
from kusari.utils import sum_to as _sum_to_array


def _normalize_axis(axis: Any, ndim: int, fname: str) -> tuple | None:
    if axis is None:
        return None
    if isinstance(axis, int):
        axis = (axis,)
    elif not isinstance(axis, tuple) or not all(isinstance(a, int) for a in axis):
        raise TypeError(f"{fname}: axis must be None, an int or a tuple of ints, got {axis!r}")
    out = []
    for a in axis:
        if not -ndim <= a < ndim:
            raise ValueError(f"{fname}: axis {a} is out of bounds for an array of dim {ndim}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{fname}: duplicate value in axis {axis!r}")
    return tuple(sorted(out))


class Sum(FunctionNode):
    """Sum over the given axes."""

    _fast_check = staticmethod(_fast_check.first_float)
    keepdims = False

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        if axis is not None and not isinstance(axis, (int, tuple)):
            raise TypeError(f"sum: axis must be None, an int or a tuple of ints, got {axis!r}")
        if isinstance(axis, tuple) and len(set(axis)) != len(axis):
            raise ValueError(f"sum: duplicate value in axis {axis!r}")
        self.axis = (axis,) if isinstance(axis, int) else axis
        self.keepdims = keepdims

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")
        if self.axis is not None:
            for a in self.axis:
                if a >= 0:
                    type_check.expect(a < in_types[0].ndim)
                else:
                    type_check.expect(-a - 1 < in_types[0].ndim)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return force_array(x.sum(axis=self.axis, keepdims=self.keepdims)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        shape = self._in_shape
        kd = None
        if not self.keepdims and self.axis is not None and len(shape) > 0:
            axes = [a % len(shape) for a in self.axis]
            kd = tuple(1 if i in axes else s for i, s in enumerate(shape))
        elif not self.keepdims and self.axis is None:
            kd = (1,) * len(shape)
        if not _fast_check.backprop_enabled():
            # no graph to record: broadcast the array directly (a read-only view)
            from kusari.backend import get_array_module

            g = gy.array if kd is None else gy.array.reshape(kd)
            return variable.Variable._new(get_array_module(g).broadcast_to(g, shape), False),
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape

        if kd is not None:
            gy = reshape(gy, kd)
        return broadcast_to(gy, shape),


def sum(x: Any, axis: int | tuple | None = None, keepdims: bool = False) -> variable.Variable:
    """Sum of array elements over the given axes.

    Args:
        x: Input Variable or array.
        axis: None (all axes), an int or a tuple of ints.
        keepdims: Keep the reduced axes with length one.

    Returns:
        The sum.

    Example:
        >>> import numpy
        >>> sum(numpy.ones((2, 3), numpy.float32), axis=1).array.tolist()
        [3.0, 3.0]
    """
    return Sum(axis, keepdims).apply((x,))[0]


class SumTo(FunctionNode):
    """Sum a broadcast array back to ``shape``."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple) -> None:
        self._shape = tuple(shape)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return force_array(_sum_to_array(x, self._shape)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to

        return broadcast_to(grad_outputs[0], self._in_shape),


def sum_to(x: Any, shape: tuple) -> variable.Variable:
    """Sum elements so that the result has ``shape`` (the inverse of broadcasting).

    Args:
        x: Input Variable or array.
        shape: Target shape, to which ``x`` must broadcast.

    Returns:
        The summed Variable.

    Example:
        >>> import numpy
        >>> sum_to(numpy.ones((2, 3), numpy.float32), (1, 3)).array.tolist()
        [[2.0, 2.0, 2.0]]
    """
    shape = tuple(shape)
    xs = x.shape
    if xs == shape:
        return variable.as_variable(x)
    if len(shape) > len(xs) or any(
        s != 1 and s != t for s, t in zip(shape, xs[len(xs) - len(shape):])
    ):
        raise ValueError(f"sum_to: cannot sum an array of shape {xs} to shape {shape}")
    return SumTo(shape).apply((x,))[0]
