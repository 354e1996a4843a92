"""Cumulative product along an axis."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math._reduction import axes_ok, check_float_and_axes


class Cumprod(FunctionNode):
    """Running product along ``axis`` (over the flattened array when None).

    With ``y_j = prod_{k<=j} x_k`` the gradient is
    ``gx_i = sum_{j>=i} gy_j y_j / x_i``; where ``x`` holds zeros the division is
    replaced by a recurrence that never divides.
    """

    def __init__(self, axis: int | None = None) -> None:
        if axis is not None and not isinstance(axis, int):
            raise TypeError(f"cumprod: axis must be None or int, got {axis!r}")
        self.axis = axis

    def _fast_check(self, in_data: tuple) -> bool:
        return axes_ok(in_data[0], None if self.axis is None else (self.axis,))

    def check_type_forward(self, in_types: Any) -> None:
        check_float_and_axes(in_types, None if self.axis is None else (self.axis,))

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        self._in_shape = x.shape
        return get_array_module(x).cumprod(x, axis=self.axis, dtype=x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.reshape import reshape

        x, = self.get_retained_inputs()
        gy, = grad_outputs
        if self.axis is None:
            x = reshape(x, (x.size,))
            axis = 0
        else:
            axis = self.axis % x.ndim
        xp = get_array_module(x.array)
        if bool(xp.all(x.array != 0)):
            from kusari.functions.array.flip import flip
            from kusari.functions.math.cumsum import cumsum

            gx = flip(cumsum(flip(gy * cumprod(x, axis), axis), axis), axis) / x
        else:
            gx = _cumprod_grad(x, gy, axis)
        return reshape(gx, self._in_shape),


def _cumprod_grad(x: Any, gy: Any, axis: int) -> Any:
    """``gx_i = L_i * S_i`` with ``L_i = prod_{k<i} x_k`` and
    ``S_i = gy_i + x_{i+1} S_{i+1}`` (a reverse recurrence, no division)."""
    from kusari.functions.array.get_item import get_item
    from kusari.functions.array.stack import stack

    n = x.shape[axis]
    if n == 0:
        return gy

    def at(v: Any, i: int) -> Any:
        return get_item(v, (slice(None),) * axis + (i,))

    xs = [at(x, i) for i in range(n)]
    gs = [at(gy, i) for i in range(n)]
    s = [None] * n
    s[n - 1] = gs[n - 1]
    for i in range(n - 2, -1, -1):
        s[i] = gs[i] + xs[i + 1] * s[i + 1]
    xp = get_array_module(x.array)
    ones = variable.Variable._new(xp.ones(xs[0].shape, x.dtype), False)
    left = [ones]
    for i in range(1, n):
        left.append(left[-1] * xs[i - 1])
    return stack([left[i] * s[i] for i in range(n)], axis)


def cumprod(x: Any, axis: int | None = None) -> variable.Variable:
    """Cumulative product of the elements along ``axis``.

    Args:
        x: Input Variable or array (floating point).
        axis: The axis; None flattens ``x`` first.

    Returns:
        The running products.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float, or ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> cumprod(numpy.array([1.0, 2.0, 3.0], numpy.float32)).array.tolist()
        [1.0, 2.0, 6.0]
    """
    return Cumprod(axis).apply((x,))[0]
