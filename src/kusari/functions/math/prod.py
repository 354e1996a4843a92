"""Product of elements over axes."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math._reduction import (
    axes_ok,
    check_float_and_axes,
    normalize_axis,
)
from kusari.utils import force_array


class Prod(FunctionNode):
    """Product over ``axis``; the gradient of ``x_i`` is the product of the others
    (exclusive cumulative products from both ends, so zeros need no division)."""

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        self.axis = normalize_axis(axis, "prod")
        self.keepdims = keepdims

    def _fast_check(self, in_data: tuple) -> bool:
        return axes_ok(in_data[0], self.axis)

    def check_type_forward(self, in_types: Any) -> None:
        check_float_and_axes(in_types, self.axis)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        return force_array(x.prod(axis=self.axis, keepdims=self.keepdims), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.concat import concat
        from kusari.functions.array.flip import flip
        from kusari.functions.array.reshape import reshape
        from kusari.functions.array.transpose import transpose
        from kusari.functions.math.cumprod import cumprod

        x, = self.get_retained_inputs()
        gy, = grad_outputs
        ndim = x.ndim
        axes = tuple(range(ndim)) if self.axis is None else tuple(
            sorted(a % ndim for a in self.axis))
        keep = [i for i in range(ndim) if i not in axes]
        perm = keep + list(axes)
        xt = transpose(x, perm) if perm != list(range(ndim)) else x
        lead = xt.shape[:len(keep)]
        n = 1
        for a in axes:
            n *= x.shape[a]
        x2 = reshape(xt, lead + (n,))
        if n == 0:
            others = x2
        else:
            xp = get_array_module(x.array)
            one = variable.Variable._new(xp.ones(lead + (1,), x.dtype), False)
            last = len(lead)
            # left[i] = prod_{k<i} x_k, right[i] = prod_{k>i} x_k
            left = concat((one, cumprod(x2[..., :-1], axis=last)), axis=last)
            right = flip(concat((one, cumprod(flip(x2, last)[..., :-1], axis=last)),
                                axis=last), last)
            others = left * right
        g = broadcast_to(reshape(gy, lead + (1,)), lead + (n,)) * others
        g = reshape(g, xt.shape)
        if perm != list(range(ndim)):
            g = transpose(g, tuple(numpy.argsort(perm).tolist()))
        return g,


def prod(x: Any, axis: int | tuple | None = None,
         keepdims: bool = False) -> variable.Variable:
    """Product of the elements over the given axes.

    Args:
        x: Input Variable or array (floating point).
        axis: None (all axes), an int or a tuple of ints.
        keepdims: Keep the reduced axes with length one.

    Returns:
        The products.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float, or an axis is out of range.

    Example:
        >>> import numpy
        >>> prod(numpy.array([[1.0, 2.0], [3.0, 4.0]], numpy.float32), axis=0).array.tolist()
        [3.0, 8.0]
    """
    return Prod(axis, keepdims).apply((x,))[0]
