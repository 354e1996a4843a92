"""Elementwise linear interpolation ``p x + (1 - p) y``."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class LinearInterpolate(FunctionNode):
    """``z = p x + (1 - p) y``: ``dz/dp = x - y``, ``dz/dx = p``, ``dz/dy = 1 - p``."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("p", "x", "y"))
        p, x, y = in_types
        type_check.expect(
            p.dtype.kind == "f",
            x.dtype == p.dtype,
            y.dtype == p.dtype,
            p.shape == x.shape,
            y.shape == x.shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1, 2))
        p, x, y = inputs
        return force_array(p * (x - y) + y, p.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        p, x, y = self.get_retained_inputs()
        g, = grad_outputs
        grads = {0: lambda: g * (x - y), 1: lambda: g * p, 2: lambda: g * (1.0 - p)}
        return tuple(grads[i]() for i in indexes)


def linear_interpolate(p: Any, x: Any, y: Any) -> variable.Variable:
    """Elementwise ``p * x + (1 - p) * y``.

    Args:
        p: Weights (floating point).
        x: First values, same shape and dtype.
        y: Second values, same shape and dtype.

    Returns:
        The interpolated Variable.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> f = lambda v: numpy.array([v], numpy.float32)
        >>> linear_interpolate(f(0.25), f(4.0), f(0.0)).array.tolist()
        [1.0]
    """
    return LinearInterpolate().apply((p, x, y))[0]
