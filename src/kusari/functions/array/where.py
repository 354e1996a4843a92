"""Choose elements from two arrays by a boolean condition."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import force_array, type_check


class Where(FunctionNode):
    """``condition ? x : y`` (broadcasting); the gradient goes to the chosen side."""

    def __init__(self, condition: Any) -> None:
        self.condition = condition

    def _fast_check(self, in_data: tuple) -> bool:
        x, y = in_data
        c = self.condition
        return c.dtype == numpy.bool_ and x.dtype == y.dtype and c.shape == x.shape == y.shape

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "y"))
        x, y = in_types
        cond = type_check.get_types((force_array(self.condition),), "condition", False)[0]
        type_check.argname((cond,), ("condition",))
        type_check.expect(cond.dtype == numpy.bool_, x.dtype == y.dtype)
        type_check.expect_broadcast_shapes(cond.shape, x.shape, y.shape)

    def forward(self, inputs: tuple) -> tuple:
        x, y = inputs
        xp = get_array_module(x)
        self._shapes = (x.shape, y.shape)
        return force_array(xp.where(self.condition, x, y)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.sum import sum_to

        gy, = grad_outputs
        xp = get_array_module(gy.array)
        zeros = xp.zeros((), gy.dtype)
        ret = []
        for i in indexes:
            if i == 0:
                g = where(self.condition, gy, zeros)
            else:
                g = where(self.condition, zeros, gy)
            ret.append(sum_to(g, self._shapes[i]))
        return tuple(ret)


def where(condition: Any, x: Any, y: Any) -> variable.Variable:
    """Elementwise ``x`` where ``condition`` is True, else ``y`` (broadcasting).

    Args:
        condition: Boolean array or Variable (not differentiated).
        x: Values where ``condition`` holds.
        y: Values elsewhere; same dtype as ``x``.

    Returns:
        The selected values, of the broadcast shape.

    Raises:
        kusari.utils.type_check.InvalidType: ``condition`` is not boolean, the dtypes of
            ``x`` and ``y`` differ, or the shapes do not broadcast.

    Example:
        >>> import numpy
        >>> c = numpy.array([True, False])
        >>> where(c, numpy.zeros(2, numpy.float32), numpy.ones(2, numpy.float32)).array.tolist()
        [0.0, 1.0]
    """
    cond = condition.array if isinstance(condition, variable.Variable) else condition
    return Where(cond).apply((x, y))[0]
