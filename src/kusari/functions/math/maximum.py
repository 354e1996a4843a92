"""Elementwise maximum of two arrays."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


def check_pair(in_types: Any) -> None:
    """Float inputs ``x1``, ``x2`` of one dtype whose shapes broadcast."""
    type_check.argname(in_types, ("x1", "x2"))
    x1, x2 = in_types
    type_check.expect(x1.dtype.kind == "f", x1.dtype == x2.dtype)
    type_check.expect_broadcast_shapes(x1.shape, x2.shape)


def select_grads(cond: Any, gy: Any, shapes: tuple, indexes: tuple) -> tuple:
    """``gy`` where ``cond`` holds to the first input, elsewhere to the second."""
    from kusari.functions.array.where import where
    from kusari.functions.math.sum import sum_to

    xp = get_array_module(cond)
    zero = xp.zeros((), gy.dtype)
    ret = []
    for i in indexes:
        g = where(cond, gy, zero) if i == 0 else where(cond, zero, gy)
        ret.append(sum_to(g, shapes[i]))
    return tuple(ret)


class Maximum(FunctionNode):
    """``max(x1, x2)``; at ties the gradient goes to ``x1``."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def check_type_forward(self, in_types: Any) -> None:
        check_pair(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x1, x2 = inputs
        self._shapes = (x1.shape, x2.shape)
        xp = get_array_module(x1)
        self._cond = xp.broadcast_to(x1 >= x2, xp.broadcast_shapes(x1.shape, x2.shape))
        return force_array(xp.maximum(x1, x2)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return select_grads(self._cond, grad_outputs[0], self._shapes, indexes)


def maximum(x1: Any, x2: Any) -> variable.Variable:
    """Elementwise maximum (broadcasting); at ties the gradient goes to ``x1``.

    Args:
        x1: Float Variable or array.
        x2: Float Variable or array of the same dtype.

    Returns:
        The larger elements.

    Raises:
        kusari.utils.type_check.InvalidType: The dtypes differ or are not floating point,
            or the shapes do not broadcast.

    Example:
        >>> import numpy
        >>> a = numpy.array([1.0, 4.0], numpy.float32)
        >>> maximum(a, numpy.array([3.0, 2.0], numpy.float32)).array.tolist()
        [3.0, 4.0]
    """
    return Maximum().apply((x1, x2))[0]
