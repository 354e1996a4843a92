"""Clip values to an interval."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class Clip(FunctionNode):
    """``min(max(x, x_min), x_max)``; the gradient passes where ``x_min <= x <= x_max``."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, x_min: Any, x_max: Any) -> None:
        if x_min is None and x_max is None:
            raise ValueError("must set either max or min")
        if x_min is not None and x_max is not None and numpy.any(
                numpy.asarray(x_min) >= numpy.asarray(x_max)):
            raise ValueError("x_min must be less than x_max.")
        self.x_min = x_min
        self.x_max = x_max

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        xp = get_array_module(x)
        cond = None
        if self.x_min is not None:
            cond = x >= self.x_min
        if self.x_max is not None:
            c = x <= self.x_max
            cond = c if cond is None else cond & c
        self._cond = cond
        lo, hi = _typed(x, self.x_min), _typed(x, self.x_max)
        return force_array(xp.clip(x, lo, hi), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ClipGrad(self._cond).apply(grad_outputs)


def _typed(x: Any, bound: Any) -> Any:
    # a NumPy float64 scalar bound would promote a float32 ``x`` under NEP 50
    return x.dtype.type(bound) if numpy.isscalar(bound) else bound


class ClipGrad(FunctionNode):
    """``gy * cond``; linear in ``gy``, so its own gradient is the same mask."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, cond: Any) -> None:
        self.cond = cond

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("gy",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        return force_array(gy * self.cond, gy.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ClipGrad(self.cond).apply(grad_outputs)


def clip(x: Any, x_min: Any, x_max: Any) -> variable.Variable:
    """Clip ``x`` elementwise to ``[x_min, x_max]``.

    The gradient is ``gy`` inside the closed interval and 0 outside.

    Args:
        x: Input Variable or array (floating point).
        x_min: Lower bound (a scalar or an array broadcastable to ``x``), or None.
        x_max: Upper bound, or None; ``x_min < x_max`` is required.

    Returns:
        The clipped Variable.

    Raises:
        ValueError: Both bounds are None, or ``x_min >= x_max``.
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> clip(numpy.array([-2.0, 0.5, 2.0], numpy.float32), -1.0, 1.0).array.tolist()
        [-1.0, 0.5, 1.0]
    """
    return Clip(x_min, x_max).apply((x,))[0]
