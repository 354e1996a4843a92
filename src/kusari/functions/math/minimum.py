"""Elementwise minimum of two arrays."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.math.maximum import check_pair, select_grads
from kusari.utils import force_array


class Minimum(FunctionNode):
    """``min(x1, x2)``; at ties the gradient goes to ``x1``."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def check_type_forward(self, in_types: Any) -> None:
        check_pair(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x1, x2 = inputs
        self._shapes = (x1.shape, x2.shape)
        xp = get_array_module(x1)
        self._cond = xp.broadcast_to(x1 <= x2, xp.broadcast_shapes(x1.shape, x2.shape))
        return force_array(xp.minimum(x1, x2)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return select_grads(self._cond, grad_outputs[0], self._shapes, indexes)


def minimum(x1: Any, x2: Any) -> variable.Variable:
    """Elementwise minimum (broadcasting); at ties the gradient goes to ``x1``.

    Raises:
        kusari.utils.type_check.InvalidType: The dtypes differ or are not floating point,
            or the shapes do not broadcast.

    Example:
        >>> import numpy
        >>> a = numpy.array([1.0, 4.0], numpy.float32)
        >>> minimum(a, numpy.array([3.0, 2.0], numpy.float32)).array.tolist()
        [1.0, 2.0]
    """
    return Minimum().apply((x1, x2))[0]
