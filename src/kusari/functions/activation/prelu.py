"""Parametric rectified linear unit."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import scale_by
from kusari.functions.activation.swish import _expanded_shape
from kusari.utils import force_array, sum_to, type_check

_new = variable.Variable._new


class PReLUFunction(FunctionNode):
    """``x`` where ``x >= 0``, ``W x`` elsewhere, with ``W`` broadcast from axis 1."""

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "W"))
        x_type, W_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            W_type.dtype == x_type.dtype,
            x_type.ndim >= W_type.ndim + 1,
            x_type.shape[1:1 + type_check.eval(W_type.ndim)] == W_type.shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, W = inputs
        xp = get_array_module(x)
        w = W.reshape(_expanded_shape(x.ndim, W.shape))
        return force_array(xp.where(x >= 0, x, x * w), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        x_arr = self.inputs[0].data
        neg = x_arr < 0
        eshape = _expanded_shape(x_arr.ndim, self.inputs[1].shape)
        if not _fast_check.backprop_enabled():
            W = self.inputs[1].data
            g = gy._data
            xp = get_array_module(g)
            ret = []
            for i in indexes:
                if i == 0:
                    gx = xp.where(neg, g * W.reshape(eshape), g)
                    ret.append(_new(force_array(gx, x_arr.dtype), False))
                else:
                    gW = sum_to(g * x_arr * neg, eshape).reshape(W.shape)
                    ret.append(_new(force_array(gW, W.dtype), False))
            return tuple(ret)
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.sum import sum_to as f_sum_to

        x, W = self.get_retained_inputs()
        ret = []
        for i in indexes:
            if i == 0:
                w = broadcast_to(reshape(W, eshape), x.shape)
                ret.append(scale_by(gy, ~neg) + scale_by(gy * w, neg))
            else:
                ret.append(reshape(f_sum_to(scale_by(gy * x, neg), eshape), W.shape))
        return tuple(ret)


def prelu(x: Any, W: Any) -> variable.Variable:
    """Parametric ReLU: :math:`f(x) = x` if :math:`x \\ge 0`, else :math:`W x`.

    Args:
        x: Input of shape ``(s_B, s_1, ..., s_N)``, float.
        W: Slopes of shape ``(s_1, ..., s_M)`` with ``M <= N``, broadcast over the batch
            axis and the trailing axes.

    Returns:
        The output, same shape and dtype as ``x``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtype or shape of ``x`` or ``W``.

    Example:
        >>> import numpy
        >>> x = numpy.array([[-1.0, 2.0]], numpy.float32)
        >>> prelu(x, numpy.full(2, 0.5, numpy.float32)).array.tolist()
        [[-0.5, 2.0]]
    """
    return PReLUFunction().apply((x, W))[0]
