"""Batch renormalization."""

from __future__ import annotations

import warnings
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.normalization._ops import ArrayOps, VariableOps, bn_grads, expander
from kusari.functions.normalization.batch_normalization import (
    _apply,
    _check_bn_types,
    fixed_batch_normalization,
)
from kusari.utils import type_check

_new = variable.Variable._new


class BatchRenormalizationFunction(FunctionNode):
    """Batch normalization corrected towards the running statistics by ``r`` and ``d``,
    which are treated as constants in backward."""

    def __init__(self, eps: float = 2e-5, mean: Any = None, var: Any = None,
                 decay: float = 0.9, rmax: float = 1, dmax: float = 0,
                 update_statistics: bool = True) -> None:
        self._running_mean = mean
        self._running_var = var
        self.rmax = rmax
        self.dmax = dmax
        self.eps = eps
        self.decay = decay
        self.update_statistics = update_statistics

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        _check_bn_types(in_types, None, ("x", "gamma", "beta"))

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, gamma, beta = inputs
        xp = get_array_module(x)
        self.axis = axis = (0,) + tuple(range(gamma.ndim + 1, x.ndim))
        # statistics in float32 at least (float16 accumulation loses too much)
        interm = numpy.promote_types(numpy.promote_types(x.dtype, gamma.dtype), numpy.float32)
        mean = x.mean(axis=axis, dtype=interm)
        var = x.var(axis=axis, dtype=interm)
        std = xp.sqrt(var + interm.type(self.eps))
        running_sigma = xp.sqrt(self._running_var + self.eps)
        self.r = xp.clip(std / running_sigma, 1.0 / self.rmax, self.rmax).astype(interm)
        self.d = xp.clip((mean - self._running_mean) / running_sigma,
                         -self.dmax, self.dmax).astype(interm)
        self.mean, self.inv_std = mean, 1 / std
        # y = gamma ((x - mean) / std * r + d) + beta
        g = gamma.astype(interm, copy=False)
        scale = g * self.r / std
        shift = beta.astype(interm, copy=False) + g * self.d - mean * scale
        y = _apply(x, scale, shift, expander(x.shape, axis))
        if self.update_statistics:
            m = x.size // gamma.size
            adjust = m / max(m - 1.0, 1.0)
            self._running_mean *= self.decay
            self._running_mean += (1 - self.decay) * mean
            self._running_var *= self.decay
            self._running_var += (1 - self.decay) * adjust * var
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        r, d = self.r, self.d
        if not _fast_check.backprop_enabled():
            x, gamma = self.inputs[0].data, self.inputs[1].data
            gx, gsig, gbeta = bn_grads(ArrayOps, x, gamma * r, gy._data, self.axis, self.eps,
                                       self.mean, self.inv_std)
            ggamma = gsig * r + d * gbeta
            gs = (gx.astype(x.dtype, copy=False), ggamma.astype(gamma.dtype, copy=False),
                  gbeta.astype(gamma.dtype, copy=False))
            return tuple(_new(gs[i], False) for i in indexes)
        x, gamma = self.get_retained_inputs()
        gx, gsig, gbeta = bn_grads(VariableOps, x, gamma * r.astype(gamma.dtype), gy,
                                   self.axis, self.eps)
        ggamma = gsig * r.astype(gsig.dtype) + gbeta * d.astype(gbeta.dtype)
        gs = (gx, VariableOps.cast(ggamma, gamma.dtype), VariableOps.cast(gbeta, gamma.dtype))
        return tuple(gs[i] for i in indexes)


def batch_renormalization(
    x: Any, gamma: Any, beta: Any, rmax: float, dmax: float, eps: float = 2e-5,
    running_mean: Any = None, running_var: Any = None, decay: float = 0.9,
    update_statistics: bool = False,
) -> variable.Variable:
    """Batch renormalization (Ioffe, 2017):
    :math:`y = \\gamma (\\hat{x} r + d) + \\beta` with :math:`\\hat{x}` normalized by the
    batch statistics, :math:`r = \\mathrm{clip}(\\sigma_B / \\sigma, 1/r_{max}, r_{max})`
    and :math:`d = \\mathrm{clip}((\\mu_B - \\mu) / \\sigma, -d_{max}, d_{max})` from the
    running statistics; ``r`` and ``d`` get no gradient.

    Args:
        x: Input, float.
        gamma: Scale, shape ``x.shape[1:1 + gamma.ndim]``.
        beta: Shift, same shape as ``gamma``.
        rmax: Upper bound of ``r``.
        dmax: Bound of ``|d|``.
        eps: Added to the variances.
        running_mean: Running mean (required).
        running_var: Running variance (required).
        decay: Decay of the running statistics.
        update_statistics: Update ``running_mean`` / ``running_var`` in place.

    Returns:
        The output, same shape and dtype as ``x``.

    Raises:
        TypeError: The running statistics are missing.
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.array([[1.0], [3.0]], numpy.float32)
        >>> one, zero = numpy.ones(1, numpy.float32), numpy.zeros(1, numpy.float32)
        >>> y = batch_renormalization(x, one, zero, 1.0, 0.0, eps=0.0,
        ...                           running_mean=zero.copy(), running_var=one.copy())
        >>> y.array.tolist()
        [[-1.0], [1.0]]
    """
    if running_mean is None:
        raise TypeError("running_mean is required")
    if running_var is None:
        raise TypeError("running_var is required")
    return BatchRenormalizationFunction(
        eps, running_mean, running_var, decay, rmax, dmax, update_statistics
    ).apply((x, gamma, beta))[0]


def fixed_batch_renormalization(
    x: Any, gamma: Any, beta: Any, mean: Any, var: Any, eps: float = 2e-5,
) -> variable.Variable:
    """Deprecated: the same as :func:`fixed_batch_normalization` (warns, as Chainer)."""
    warnings.warn(
        "fixed_batch_renormalization is deprecated. Use fixed_batch_normalization instead.",
        DeprecationWarning, stacklevel=2)
    return fixed_batch_normalization(x, gamma, beta, mean, var, eps)
