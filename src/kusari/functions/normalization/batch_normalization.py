"""Batch normalization: with batch statistics, and with fixed statistics."""

from __future__ import annotations

import warnings
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.backends import cuda
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.normalization._ops import (
    ArrayOps,
    VariableOps,
    bn_grads,
    compute_axis,
    expander,
    normalize_axis_arg,
)
from kusari.utils import type_check

_new = variable.Variable._new


def _check_bn_types(in_types: Any, axis: tuple | None, names: tuple) -> None:
    type_check.argname(in_types, names)
    x_type, gamma_type, beta_type = in_types[:3]
    type_check.expect(
        x_type.dtype.kind == "f",
        gamma_type.dtype.kind == "f",
        gamma_type.dtype == beta_type.dtype,
        gamma_type.shape == beta_type.shape,
    )
    x_ndim = type_check.eval(x_type.ndim)
    gamma_ndim = type_check.eval(gamma_type.ndim)
    ax = compute_axis(x_ndim, gamma_ndim, axis)
    type_check.expect(x_type.ndim >= len(ax))
    key_axis = [i for i in range(x_ndim) if i not in ax]
    type_check.expect(gamma_type.ndim == len(key_axis))
    for i, k in enumerate(key_axis):
        type_check.expect(x_type.shape[k] == gamma_type.shape[i])


def _apply(x: Any, scale: Any, shift: Any, es: tuple) -> Any:
    """``x * scale + shift`` with per-feature ``scale``, ``shift`` broadcast by ``es``."""
    xp = get_array_module(x)
    if xp is numpy:
        y = x * scale.reshape(es)
        y += shift.reshape(es)
        return y.astype(x.dtype, copy=False)
    return cuda.elementwise(
        "T x, U scale, U shift", "T y", "y = (T)(x * scale + shift)", "kusari_bn_apply",
    )(x, scale.reshape(es), shift.reshape(es))


class BatchNormalization(FunctionNode):
    """Normalize with the batch mean and (biased) variance, then scale and shift; one node
    whose backward is written by hand, updating running statistics in forward."""

    def __init__(self, eps: float = 2e-5, mean: Any = None, var: Any = None,
                 decay: float = 0.9, axis: Any = None) -> None:
        self.running_mean = mean
        self.running_var = var
        self.eps = eps
        self.decay = decay
        self.axis = normalize_axis_arg(axis)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        _check_bn_types(in_types, self.axis, ("x", "gamma", "beta"))

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, gamma, beta = inputs
        xp = get_array_module(x)
        self.axis = axis = compute_axis(x.ndim, gamma.ndim, self.axis)
        if all(x.shape[i] == 1 for i in axis):
            warnings.warn(
                "A batch with no more than one sample has been given to "
                "F.batch_normalization; it will always output a zero tensor for such "
                "batches (is config.train True while evaluating?)" if 0 in axis else
                "F.batch_normalization received a batch with single dimensions along all "
                "axes that are used for aggregating statistics; the output is zero.",
                UserWarning, stacklevel=4)
        # statistics in float32 at least (float16 accumulation loses too much)
        interm = numpy.promote_types(numpy.promote_types(x.dtype, gamma.dtype), numpy.float32)
        mean = x.mean(axis=axis, dtype=interm)
        var = x.var(axis=axis, dtype=interm)
        inv_std = 1 / xp.sqrt(var + interm.type(self.eps))
        self.mean, self.inv_std = mean, inv_std
        es = expander(x.shape, axis)
        scale = gamma.astype(interm, copy=False) * inv_std
        y = _apply(x, scale, beta.astype(interm, copy=False) - mean * scale, es)
        if self.running_mean is not None:
            m = x.size // gamma.size
            adjust = m / max(m - 1.0, 1.0)  # unbiased variance for the running estimate
            d = self.decay
            self.running_mean *= d
            self.running_mean += (1 - d) * mean
            self.running_var *= d
            self.running_var += (1 - d) * adjust * var
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x, gamma = self.inputs[0].data, self.inputs[1].data
            gx, ggamma, gbeta = bn_grads(ArrayOps, x, gamma, gy._data, self.axis, self.eps,
                                         self.mean, self.inv_std)
            gs = (gx.astype(x.dtype, copy=False), ggamma.astype(gamma.dtype, copy=False),
                  gbeta.astype(gamma.dtype, copy=False))
            return tuple(_new(gs[i], False) for i in indexes)
        x, gamma = self.get_retained_inputs()
        gs = bn_grads(VariableOps, x, gamma, gy, self.axis, self.eps)
        gs = (gs[0], VariableOps.cast(gs[1], gamma.dtype), VariableOps.cast(gs[2], gamma.dtype))
        return tuple(gs[i] for i in indexes)


def batch_normalization(
    x: Any, gamma: Any, beta: Any, *, eps: float = 2e-5, running_mean: Any = None,
    running_var: Any = None, decay: float = 0.9, axis: Any = None,
) -> variable.Variable:
    """Batch normalization: :math:`y = \\gamma \\hat{x} + \\beta` with
    :math:`\\hat{x} = (x - \\mu_B) / \\sqrt{\\sigma_B^2 + \\epsilon}`.

    Statistics are taken over ``axis`` (default: the batch axis and the axes after those
    of ``gamma``). When ``running_mean`` / ``running_var`` are given they are updated in
    place: :math:`r \\leftarrow d\\,r + (1 - d)\\,s`, using the unbiased variance
    :math:`\\sigma_B^2 m / (m - 1)` for ``running_var``.

    Args:
        x: Input, float, e.g. ``(N, C)`` or ``(N, C, H, W)``.
        gamma: Scale, of the shape of ``x`` without the reduced axes.
        beta: Shift, same shape and dtype as ``gamma``.
        eps: :math:`\\epsilon`.
        running_mean: Array updated in place with the batch mean, or None.
        running_var: Array updated in place with the unbiased batch variance, or None.
        decay: :math:`d`.
        axis: Reduced axes (int or sorted tuple), or None.

    Returns:
        The normalized output, same shape and dtype as ``x``.

    Raises:
        RuntimeError: ``axis`` is malformed.
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.array([[1.0, 2.0], [3.0, 6.0]], numpy.float32)
        >>> g, b = numpy.ones(2, numpy.float32), numpy.zeros(2, numpy.float32)
        >>> batch_normalization(x, g, b).array.round(3).tolist()
        [[-1.0, -1.0], [1.0, 1.0]]
    """
    return BatchNormalization(eps, running_mean, running_var, decay, axis).apply(
        (x, gamma, beta))[0]


def _fixed_grads(ops: Any, x: Any, gamma: Any, mean: Any, var: Any, gy: Any, axis: tuple,
                 eps: float) -> tuple:
    full = x.shape
    es = expander(full, axis)
    inv_std = ops.rsqrt(var + eps)
    xhat = (x - ops.expand(mean, es, full)) * ops.expand(inv_std, es, full)
    gbeta = ops.sum(gy, axis)
    ggamma = ops.sum(gy * xhat, axis)
    gs = gamma * inv_std
    gx = gy * ops.expand(gs, es, full)
    gmean = -gs * gbeta
    gvar = -0.5 * gamma * ggamma * inv_std * inv_std
    return gx, ggamma, gbeta, gmean, gvar


class FixedBatchNormalization(FunctionNode):
    """``gamma (x - mean) / sqrt(var + eps) + beta`` with given statistics; differentiable
    in all five inputs."""

    def __init__(self, eps: float = 2e-5, axis: Any = None) -> None:
        self.eps = eps
        self.axis = normalize_axis_arg(axis)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 5)
        _check_bn_types(in_types, self.axis, ("x", "gamma", "beta", "mean", "var"))
        _, gamma_type, _, mean_type, var_type = in_types
        type_check.expect(
            mean_type.dtype == gamma_type.dtype,
            mean_type.shape == gamma_type.shape,
            var_type.dtype == gamma_type.dtype,
            var_type.shape == gamma_type.shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1, 3, 4))
        x, gamma, beta, mean, var = inputs
        xp = get_array_module(x)
        self.axis = axis = compute_axis(x.ndim, gamma.ndim, self.axis)
        # statistics in float32 at least (float16 accumulation loses too much)
        interm = numpy.promote_types(numpy.promote_types(x.dtype, gamma.dtype), numpy.float32)
        inv_std = 1 / xp.sqrt(var.astype(interm, copy=False) + interm.type(self.eps))
        scale = gamma.astype(interm, copy=False) * inv_std
        shift = beta.astype(interm, copy=False) - mean * scale
        return _apply(x, scale, shift, expander(x.shape, axis)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x, gamma, mean, var = (self.inputs[i].data for i in (0, 1, 3, 4))
            gs = _fixed_grads(ArrayOps, x, gamma, mean, var, gy._data, self.axis, self.eps)
            dts = (x.dtype,) + (gamma.dtype,) * 4
            return tuple(_new(gs[i].astype(dts[i], copy=False), False) for i in indexes)
        x, gamma, mean, var = self.get_retained_inputs()
        xc = VariableOps.cast(x, gamma.dtype)
        gyc = VariableOps.cast(gy, gamma.dtype)
        gs = _fixed_grads(VariableOps, xc, gamma, mean, var, gyc, self.axis, self.eps)
        gs = (VariableOps.cast(gs[0], x.dtype),) + gs[1:]
        return tuple(gs[i] for i in indexes)


def fixed_batch_normalization(
    x: Any, gamma: Any, beta: Any, mean: Any, var: Any, eps: float = 2e-5, axis: Any = None,
) -> variable.Variable:
    """Batch normalization with fixed statistics (for inference):
    :math:`y = \\gamma (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon} + \\beta`.

    Args:
        x: Input, float.
        gamma: Scale, of the shape of ``x`` without the reduced axes.
        beta: Shift, same shape and dtype as ``gamma``.
        mean: The mean :math:`\\mu`, same shape and dtype as ``gamma``.
        var: The variance :math:`\\sigma^2`, same shape and dtype as ``gamma``.
        eps: :math:`\\epsilon`.
        axis: Reduced axes (int or sorted tuple), or None.

    Returns:
        The normalized output, same shape and dtype as ``x``.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.array([[1.0, 2.0]], numpy.float32)
        >>> o, z = numpy.ones(2, numpy.float32), numpy.zeros(2, numpy.float32)
        >>> fixed_batch_normalization(x, o, z, o, o, eps=0.0).array.tolist()
        [[0.0, 1.0]]
    """
    return FixedBatchNormalization(eps, axis).apply((x, gamma, beta, mean, var))[0]
