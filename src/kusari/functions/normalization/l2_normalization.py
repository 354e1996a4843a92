"""L2 normalization."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import scale_by
from kusari.utils import force_array, type_check

_new = variable.Variable._new


class NormalizeL2(FunctionNode):
    """``x / (||x||_2 + eps)`` along ``axis``."""

    def __init__(self, eps: float = 1e-5, axis: Any = 1) -> None:
        self.eps = eps
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        norm = xp.sqrt((x * x).sum(axis=self.axis, keepdims=True)) + x.dtype.type(self.eps)
        return force_array(x / norm, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        # gx = (gy n - x <x, gy> / r) / n^2 with r = ||x||, n = r + eps; rows with r = 0
        # (where x = 0) take <x, gy> / r as 0.
        gy, = grad_outputs
        axis = self.axis
        x_arr = self.inputs[0].data
        xp = get_array_module(x_arr)
        r_arr = xp.sqrt((x_arr * x_arr).sum(axis=axis, keepdims=True))
        mask = r_arr != 0
        if not _fast_check.backprop_enabled():
            g = gy._data
            n = r_arr + x_arr.dtype.type(self.eps)
            xg = (x_arr * g).sum(axis=axis, keepdims=True) / xp.where(mask, r_arr, 1) * mask
            return _new(force_array((g * n - xg * x_arr) / (n * n), x_arr.dtype), False),
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.math.sqrt import sqrt
        from kusari.functions.math.sum import sum as f_sum

        x, = self.get_retained_inputs()
        r = sqrt(f_sum(x * x, axis=axis, keepdims=True))
        n = broadcast_to(r + self.eps, x.shape)
        xg = scale_by(f_sum(x * gy, axis=axis, keepdims=True) / (r + (~mask).astype(x.dtype)),
                      mask)
        return (gy * n - broadcast_to(xg, x.shape) * x) / (n * n),


def normalize(x: Any, eps: float = 1e-5, axis: int | tuple = 1) -> variable.Variable:
    """L2 normalization: :math:`y = x / (\\|x\\|_2 + \\epsilon)` along ``axis``.

    Args:
        x: Input Variable or array, float.
        eps: :math:`\\epsilon`, which keeps zero vectors finite.
        axis: The axis (or axes) of the vectors.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> normalize(numpy.array([[3.0, 4.0]]), eps=0.0).array.tolist()
        [[0.6, 0.8]]
    """
    return NormalizeL2(eps, axis).apply((x,))[0]
