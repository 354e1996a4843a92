"""Squared L2 norm of each sample."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.utils import force_array, type_check


def _fast(in_data: tuple) -> bool:
    x = in_data[0]
    return x.dtype.kind == "f" and x.ndim >= 2


class BatchL2NormSquared(FunctionNode):
    """``y_i = sum_j x_ij^2`` over all axes but the first; the gradient is ``2 x gy``."""

    _fast_check = staticmethod(_fast)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        type_check.expect(x.dtype.kind == "f", x.ndim >= 2)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        x2 = x.reshape(len(x), -1)
        return force_array((x2 * x2).sum(axis=1), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape

        x, = self.get_retained_inputs()
        gy, = grad_outputs
        g = broadcast_to(reshape(gy, (len(gy),) + (1,) * (x.ndim - 1)), x.shape)
        return 2.0 * x * g,


def batch_l2_norm_squared(x: Any) -> variable.Variable:
    """Squared L2 norm of each sample ``x[i]`` (summing all axes but the first).

    Args:
        x: Float Variable or array with at least two dimensions.

    Returns:
        A vector of ``len(x)`` squared norms.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float or has fewer than two axes.

    Example:
        >>> import numpy
        >>> batch_l2_norm_squared(numpy.array([[3.0, 4.0]], numpy.float32)).array.tolist()
        [25.0]
    """
    return BatchL2NormSquared().apply((x,))[0]
