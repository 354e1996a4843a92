"""Group normalization."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.normalization._ops import ArrayOps, VariableOps
from kusari.functions.normalization.layer_normalization import standardize_grad
from kusari.utils import force_array, type_check

_new = variable.Variable._new


class GroupNormalization(FunctionNode):
    """Standardize ``x`` per sample over groups of channels, then scale and shift per
    channel."""

    def __init__(self, groups: int, eps: float = 1e-5) -> None:
        if not isinstance(groups, int):
            raise TypeError("Argument: 'groups' type must be (int).")
        self.groups = groups
        self.eps = eps

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ("x", "gamma", "beta"))
        x_type, gamma_type, beta_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            x_type.ndim >= 2,
            gamma_type.ndim == 1,
            beta_type.ndim == 1,
            gamma_type.dtype.kind == "f",
            gamma_type.dtype == beta_type.dtype,
            x_type.shape[1] == gamma_type.shape[0],
            gamma_type.shape == beta_type.shape,
        )

    def _grouped(self, shape: tuple) -> tuple:
        return (shape[0], self.groups, -1)

    def _channel(self, shape: tuple) -> tuple:
        return (1, shape[1]) + (1,) * (len(shape) - 2)

    def forward(self, inputs: tuple) -> tuple:
        x, gamma, beta = inputs
        if x.shape[1] % self.groups != 0:
            raise ValueError(f"The number of channels {x.shape[1]} is not divisible by "
                             f"'groups' argument {self.groups}.")
        self.retain_inputs((0, 1))
        xp = get_array_module(x)
        # statistics in float32 at least (float16 accumulation loses too much)
        interm = numpy.promote_types(numpy.promote_types(x.dtype, gamma.dtype), numpy.float32)
        xr = x.reshape(self._grouped(x.shape)).astype(interm, copy=False)
        mean = xr.mean(axis=2)
        xc = xr - mean[:, :, None]
        inv_std = 1 / xp.sqrt((xc * xc).mean(axis=2) + interm.type(self.eps))
        self.mean, self.inv_std = mean, inv_std
        xc *= inv_std[:, :, None]
        y = xc.reshape(x.shape) * gamma.reshape(self._channel(x.shape))
        y += beta.reshape(self._channel(x.shape))
        return force_array(y, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        shape = self.inputs[0].shape
        red = (0,) + tuple(range(2, len(shape)))
        if not _fast_check.backprop_enabled():
            x, gamma = self.inputs[0].data, self.inputs[1].data
            g = gy._data
            xr = x.reshape(self._grouped(shape))
            ret = []
            for i in indexes:
                if i == 0:
                    gxhat = (g * gamma.reshape(self._channel(shape))).reshape(xr.shape)
                    gx = standardize_grad(ArrayOps, xr, gxhat, (2,), self.eps, self.mean,
                                          self.inv_std)
                    ret.append(gx.reshape(shape).astype(x.dtype, copy=False))
                elif i == 1:
                    xhat = (xr - self.mean[:, :, None]) * self.inv_std[:, :, None]
                    ret.append((g * xhat.reshape(shape)).sum(axis=red).astype(gamma.dtype))
                else:
                    ret.append(g.sum(axis=red).astype(gamma.dtype, copy=False))
            return tuple(_new(r, False) for r in ret)
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.sum import sum as f_sum

        x, gamma = self.get_retained_inputs()
        gamma_x = VariableOps.cast(gamma, x.dtype)
        xr = reshape(x, self._grouped(shape))
        xr_shape = xr.shape
        ret = []
        for i in indexes:
            if i == 0:
                gxhat = gy * broadcast_to(reshape(gamma_x, self._channel(shape)), shape)
                gx = standardize_grad(VariableOps, xr, reshape(gxhat, xr_shape), (2,), self.eps)
                ret.append(reshape(gx, shape))
            elif i == 1:
                n = xr_shape[2]
                mean = broadcast_to(f_sum(xr, axis=2, keepdims=True) * (1.0 / n), xr_shape)
                xc = xr - mean
                var = f_sum(xc * xc, axis=2, keepdims=True) * (1.0 / n)
                xhat = reshape(xc * broadcast_to((var + self.eps) ** -0.5, xr_shape), shape)
                ret.append(VariableOps.cast(f_sum(gy * xhat, axis=red), gamma.dtype))
            else:
                ret.append(VariableOps.cast(f_sum(gy, axis=red), gamma.dtype))
        return tuple(ret)


def group_normalization(
    x: Any, groups: int, gamma: Any, beta: Any, eps: float = 1e-5,
) -> variable.Variable:
    """Group normalization (Wu and He, 2018): the channels of each sample are split into
    ``groups`` groups, each standardized, then :math:`y = \\gamma \\hat{x} + \\beta` per
    channel.

    Args:
        x: Input of shape ``(N, C, ...)``, float.
        groups: The number of groups; it must divide ``C``.
        gamma: Scale of shape ``(C,)``.
        beta: Shift of shape ``(C,)``, same dtype as ``gamma``.
        eps: Added to the variances.

    Returns:
        The output, same shape and dtype as ``x``.

    Raises:
        TypeError: ``groups`` is not an int.
        ValueError: ``groups`` does not divide ``C``.
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.array([[1.0, 3.0, 5.0, 9.0]], numpy.float32)
        >>> g, b = numpy.ones(4, numpy.float32), numpy.zeros(4, numpy.float32)
        >>> group_normalization(x, 2, g, b, eps=0.0).array.tolist()
        [[-1.0, 1.0, -1.0, 1.0]]
    """
    return GroupNormalization(groups, eps).apply((x, gamma, beta))[0]
