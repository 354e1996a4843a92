"""Mean absolute error."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check

_new = variable.Variable._new


class MeanAbsoluteError(FunctionNode):
    """``sum(|x0 - x1|) / size`` as one fused node; the derivative at 0 is 0."""

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
        x0, x1 = inputs
        xp = get_array_module(x0)
        diff = force_array(x0 - x1)
        self.sign = force_array(xp.sign(diff))
        n = max(diff.size, 1)
        return xp.asarray(abs(diff).sum() / diff.dtype.type(n), diff.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        scale = 1.0 / max(self.sign.size, 1)
        if not _fast_check.backprop_enabled():
            g = force_array(self.sign * (gy._data * self.sign.dtype.type(scale)))
            return tuple(_new(g if i == 0 else -g, False) for i in indexes)
        from kusari.functions.array.broadcast import broadcast_to

        g = broadcast_to(gy * scale, self.sign.shape) * self.sign
        return tuple(g if i == 0 else -g for i in indexes)


def mean_absolute_error(x0: Any, x1: Any) -> variable.Variable:
    """Mean absolute error: :math:`\\frac{1}{N}\\sum_i |x_{0,i} - x_{1,i}|`.

    The derivative at ``x0 == x1`` is taken as 0.

    Args:
        x0: Variable or array.
        x1: Variable or array of the same shape and dtype.

    Returns:
        A 0-d Variable.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> a = numpy.array([1.0, -3.0], numpy.float32)
        >>> mean_absolute_error(a, numpy.zeros(2, numpy.float32)).array.item()
        2.0
    """
    return MeanAbsoluteError().apply((x0, x1))[0]
