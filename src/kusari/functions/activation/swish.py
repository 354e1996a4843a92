"""Swish activation with a learnable slope."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation.sigmoid import _sigmoid_array, sigmoid
from kusari.utils import force_array, sum_to, type_check

_new = variable.Variable._new


def _expanded_shape(x_ndim: int, p_shape: tuple) -> tuple:
    """The shape a parameter over ``x.shape[1:1 + p.ndim]`` takes to broadcast with ``x``."""
    return (1,) + tuple(p_shape) + (1,) * (x_ndim - 1 - len(p_shape))


class Swish(FunctionNode):
    """``x * sigmoid(beta x)`` with ``beta`` broadcast from axis 1."""

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "beta"))
        x_type, beta_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            beta_type.dtype == x_type.dtype,
            beta_type.ndim <= x_type.ndim - 1,
            beta_type.shape == x_type.shape[1:1 + type_check.eval(beta_type.ndim)],
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, beta = inputs
        b = beta.reshape(_expanded_shape(x.ndim, beta.shape))
        return force_array(x * _sigmoid_array(b * x), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        eshape = _expanded_shape(gy.ndim, self.inputs[1].shape)
        if not _fast_check.backprop_enabled():
            x, beta = self.inputs[0].data, self.inputs[1].data
            b = beta.reshape(eshape)
            s = _sigmoid_array(b * x)
            y = x * s
            g = gy._data
            ret = []
            for i in indexes:
                if i == 0:
                    ret.append(_new(force_array(g * (s + b * y * (1 - s)), x.dtype), False))
                else:
                    gb = sum_to(g * x * y * (1 - s), eshape).reshape(beta.shape)
                    ret.append(_new(force_array(gb, x.dtype), False))
            return tuple(ret)
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.sum import sum_to as f_sum_to

        x, beta = self.get_retained_inputs()
        b = broadcast_to(reshape(beta, eshape), x.shape)
        s = sigmoid(b * x)
        y = x * s
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy * (s + b * y * (1 - s)))
            else:
                ret.append(reshape(f_sum_to(gy * x * y * (1 - s), eshape), beta.shape))
        return tuple(ret)


def swish(x: Any, beta: Any) -> variable.Variable:
    """Swish: :math:`f(x, \\beta) = x \\, \\sigma(\\beta x)`.

    Args:
        x: Input of shape ``(s_B, s_1, ..., s_N)``, float.
        beta: :math:`\\beta` of shape ``(s_1, ..., s_M)`` with ``M <= N``, broadcast over
            the batch axis and the trailing axes.

    Returns:
        The output, same shape and dtype as ``x``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtype or shape of ``x`` or ``beta``.

    Example:
        >>> import numpy
        >>> x = numpy.array([[0.0, 2.0]], numpy.float32)
        >>> swish(x, numpy.zeros(2, numpy.float32)).array.tolist()
        [[0.0, 1.0]]
    """
    return Swish().apply((x, beta))[0]
