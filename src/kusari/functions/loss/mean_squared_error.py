"""Mean squared error."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check

_new = variable.Variable._new


class MeanSquaredError(FunctionNode):
    """``sum((x0 - x1)^2) / size`` as one fused node."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x0", "x1"))
        type_check.expect(
            in_types[0].dtype.kind == "f",
            in_types[0].dtype == in_types[1].dtype,
            in_types[0].shape == in_types[1].shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        diff = x0 - x1
        self._diff = diff
        if type(diff) is numpy.ndarray:
            # vdot flattens, so no ravel
            return numpy.asarray(numpy.vdot(diff, diff) * (1.0 / max(diff.size, 1)), diff.dtype),
        d = diff.ravel()
        return _xp(d).asarray(d.dot(d) / d.dtype.type(max(d.size, 1)), d.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            diff = self._diff
            g0 = diff * (gy._data * (2.0 / max(diff.size, 1)))
            if isinstance(g0, numpy.generic):  # 0-d NumPy inputs: a scalar, not an array
                g0 = numpy.asarray(g0)
            if len(indexes) == 1:
                return _new(g0 if indexes[0] == 0 else -g0, False),
            return _new(g0, False), _new(-g0, False)
        from kusari.functions.array.broadcast import broadcast_to

        a, b = self.get_retained_inputs()
        d = a - b
        g = broadcast_to(gy, d.shape) * d * (2.0 / max(d.size, 1))
        return tuple(g if i == 0 else -g for i in indexes)


def _xp(a: Any) -> Any:
    from kusari.backend import get_array_module

    return get_array_module(a)


def mean_squared_error(x0: Any, x1: Any) -> variable.Variable:
    """Mean squared error: :math:`\\frac{1}{N}\\sum_i (x_{0,i} - x_{1,i})^2`.

    Args:
        x0: Variable or array.
        x1: Variable or array of the same shape and dtype.

    Returns:
        A 0-d Variable.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> a = numpy.array([1.0, 2.0], numpy.float32)
        >>> mean_squared_error(a, numpy.zeros(2, numpy.float32)).array.item()
        2.5
    """
    return MeanSquaredError().apply((x0, x1))[0]
