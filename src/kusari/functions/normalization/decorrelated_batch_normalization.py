"""Decorrelated (ZCA-whitening) batch normalization, with batch or fixed statistics."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


def _to_groups(x: Any, groups: int) -> Any:
    """``(b, c, *s)`` -> ``(groups, c // groups, b * prod(s))`` (a copy)."""
    b, c = x.shape[:2]
    axes = (1, 0) + tuple(range(2, x.ndim))
    return x.transpose(axes).reshape(groups, c // groups, -1)


def _from_groups(y: Any, shape: tuple) -> Any:
    """The inverse of :func:`_to_groups` for an input of ``shape``."""
    b, c = shape[:2]
    axes = (1, 0) + tuple(range(2, len(shape)))
    xp = get_array_module(y)
    return xp.ascontiguousarray(y.reshape((c, b) + shape[2:]).transpose(axes))


def _compute_dtype(dtype: Any) -> Any:
    # eigendecompositions need float32 at least (no float16 LAPACK)
    return numpy.promote_types(dtype, numpy.float32)


class DecorrelatedBatchNormalization(FunctionNode):
    """``y = Sigma^{-1/2} (x - mu)`` per group of channels, from batch statistics."""

    def __init__(self, groups: int = 16, eps: float = 2e-5, mean: Any = None,
                 projection: Any = None, decay: float = 0.9) -> None:
        self.groups = groups
        self.eps = eps
        self.running_mean = mean
        self.running_projection = projection
        self.decay = decay

    def _fast_check(self, in_data: tuple) -> bool:
        x = in_data[0]
        return x.dtype.kind == "f" and x.ndim >= 2 and x.shape[1] % self.groups == 0

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ("x",))
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == "f", x_type.ndim >= 2)
        type_check.expect(x_type.shape[1] % self.groups == 0)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        cdt = _compute_dtype(x.dtype)
        xh = _to_groups(x, self.groups).astype(cdt, copy=False)
        m = xh.shape[2]
        mean = xh.mean(axis=2, keepdims=True)
        xc = xh - mean
        cov = xp.matmul(xc, xc.transpose(0, 2, 1))
        cov /= cdt.type(m)
        idx = xp.arange(cov.shape[1])
        cov[:, idx, idx] += cdt.type(self.eps)
        lam, vec = xp.linalg.eigh(cov)
        self._lam, self._vec = lam, vec
        whiten = xp.matmul(vec * (lam ** -0.5)[:, None, :], vec.transpose(0, 2, 1))
        self._whiten = whiten
        y = xp.matmul(whiten, xc)

        if self.running_mean is not None:
            self.running_mean *= self.decay
            self.running_mean += (1 - self.decay) * mean[:, :, 0]
        if self.running_projection is not None:
            adjust = m / max(m - 1.0, 1.0)  # unbiased estimate
            self.running_projection *= self.decay
            self.running_projection += (1 - self.decay) * adjust * whiten
        return _from_groups(y, x.shape).astype(x.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, = self.get_retained_inputs()
        return DecorrelatedBatchNormalizationGrad(
            self.groups, x.array, self._lam, self._vec, self._whiten).apply(grad_outputs)


class DecorrelatedBatchNormalizationGrad(FunctionNode):
    """The gradient of ZCA whitening through the eigendecomposition of the covariance.

    With :math:`\\Sigma = V \\Lambda V^T`, :math:`W = \\Sigma^{-1/2}`, :math:`y = W x_c`:
    :math:`\\bar W = \\bar y x_c^T`, :math:`\\bar\\Sigma = V ((V^T \\bar W V) \\circ P) V^T`
    where :math:`P_{ij} = (\\lambda_i^{-1/2} - \\lambda_j^{-1/2}) / (\\lambda_i - \\lambda_j)
    = -1 / (s_i s_j (s_i + s_j))`, :math:`s = \\sqrt\\lambda` (the same closed form gives the
    derivative on the diagonal and for repeated eigenvalues), then
    :math:`\\bar x_c = W \\bar y + 2\\, \\mathrm{sym}(\\bar\\Sigma) x_c / m`, centred over the
    batch.
    """

    def __init__(self, groups: int, x: Any, lam: Any, vec: Any, whiten: Any) -> None:
        self.groups = groups
        self.x = x
        self.lam = lam
        self.vec = vec
        self.whiten = whiten

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        xp = get_array_module(gy)
        cdt = self.lam.dtype
        gyh = _to_groups(gy, self.groups).astype(cdt, copy=False)
        xh = _to_groups(self.x, self.groups).astype(cdt, copy=False)
        m = xh.shape[2]
        xc = xh - xh.mean(axis=2, keepdims=True)
        vec, vt = self.vec, self.vec.transpose(0, 2, 1)
        s = xp.sqrt(self.lam)
        p = -1 / (s[:, :, None] * s[:, None, :] * (s[:, :, None] + s[:, None, :]))
        g_w = xp.matmul(gyh, xc.transpose(0, 2, 1))
        g_w += g_w.transpose(0, 2, 1)
        g_w *= cdt.type(0.5)
        g_sigma = xp.matmul(xp.matmul(vec, xp.matmul(xp.matmul(vt, g_w), vec) * p), vt)
        gxc = xp.matmul(self.whiten, gyh)
        gxc += xp.matmul(g_sigma, xc) * cdt.type(2.0 / m)
        gxc -= gxc.mean(axis=2, keepdims=True)
        return _from_groups(gxc, gy.shape).astype(gy.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        raise NotImplementedError("Double backward is not implemented for decorrelated batch "
                                  "normalization.")


class FixedDecorrelatedBatchNormalization(FunctionNode):
    """``y = P (x - mu)`` per group of channels, with given ``mu`` and ``P``."""

    def __init__(self, groups: int) -> None:
        self.groups = groups

    def _fast_check(self, in_data: tuple) -> bool:
        x, mean, proj = in_data
        g = self.groups
        return (x.dtype.kind == "f" and mean.dtype == x.dtype and proj.dtype == x.dtype
                and x.ndim >= 2 and x.shape[1] % g == 0 and mean.shape == (g, x.shape[1] // g)
                and proj.shape == (g,) + mean.shape[1:] * 2)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ("x", "mean", "projection"))
        x_type, mean_type, proj_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            mean_type.dtype == x_type.dtype,
            proj_type.dtype == x_type.dtype,
        )
        type_check.expect(x_type.ndim >= 2)
        type_check.expect(
            x_type.shape[1] % self.groups == 0,
            mean_type.ndim == 2,
            proj_type.ndim == 3,
            mean_type.shape[0] == self.groups,
            mean_type.shape[1] * self.groups == x_type.shape[1],
            proj_type.shape[0] == self.groups,
            proj_type.shape[1] == mean_type.shape[1],
            proj_type.shape[2] == mean_type.shape[1],
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1, 2))
        x, mean, proj = inputs
        xp = get_array_module(x)
        xc = _to_groups(x, self.groups) - mean[:, :, None]
        return _from_groups(xp.matmul(proj, xc), x.shape),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, mean, proj = self.get_retained_inputs()
        grads = FixedDecorrelatedBatchNormalizationGrad(self.groups).apply(
            (x, mean, proj, grad_outputs[0]))
        return tuple(grads[i] for i in indexes)


class FixedDecorrelatedBatchNormalizationGrad(FunctionNode):
    """``gx = P^T gy``, ``gmean = -sum_m P^T gy``, ``gP = gy (x - mu)^T`` per group."""

    def __init__(self, groups: int) -> None:
        self.groups = groups

    def forward(self, inputs: tuple) -> tuple:
        x, mean, proj, gy = inputs
        xp = get_array_module(x)
        gyh = _to_groups(gy, self.groups)
        xc = _to_groups(x, self.groups) - mean[:, :, None]
        gxh = xp.matmul(proj.transpose(0, 2, 1), gyh)
        gmean = -gxh.sum(axis=2)
        gproj = xp.matmul(gyh, xc.transpose(0, 2, 1))
        return _from_groups(gxh, x.shape), gmean, gproj

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        raise NotImplementedError("Double backward is not implemented for fixed decorrelated "
                                  "batch normalization.")


def decorrelated_batch_normalization(x: Any, *, groups: int = 16, eps: float = 2e-5,
                                     running_mean: Any = None, running_projection: Any = None,
                                     decay: float = 0.9) -> variable.Variable:
    """Decorrelated batch normalization: whiten each group of channels over the batch.

    The channels are split into ``groups`` groups of ``C`` channels; per group, with
    :math:`x_c = x - \\mu` over the batch (and spatial) axes and
    :math:`\\Sigma = x_c x_c^T / m + \\epsilon I`, the output is the ZCA whitening

    .. math:: y = \\Sigma^{-1/2} x_c = V \\Lambda^{-1/2} V^T x_c,

    zero-mean with (nearly) identity covariance. See
    `Decorrelated Batch Normalization <https://arxiv.org/abs/1804.08450>`_.

    Args:
        x: Variable or array of shape ``(b, c, ...)``, float; ``c`` divisible by ``groups``.
        groups: Number of channel groups whitened separately.
        eps: Added to the covariance's diagonal.
        running_mean: Array ``(groups, C)`` updated in place with the moving average of the
            mean, or ``None``.
        running_projection: Array ``(groups, C, C)`` updated in place with the moving
            average of the (unbiased) whitening matrix, or ``None``.
        decay: Decay of the moving averages.

    Returns:
        A Variable of ``x``'s shape and dtype. Double backprop is not supported (as in
        Chainer).

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not float, has fewer than 2 axes, or
            its channels are not divisible by ``groups``.

    Example:
        >>> import numpy
        >>> x = numpy.random.RandomState(0).randn(64, 4).astype(numpy.float32)
        >>> y = decorrelated_batch_normalization(x, groups=1).array
        >>> numpy.allclose(y.T @ y / 64, numpy.eye(4), atol=1e-3)
        True
    """
    return DecorrelatedBatchNormalization(groups, eps, running_mean, running_projection,
                                          decay).apply((x,))[0]


def fixed_decorrelated_batch_normalization(x: Any, mean: Any, projection: Any,
                                           groups: int = 16) -> variable.Variable:
    """Decorrelated batch normalization with fixed statistics (inference mode).

    Per group of channels: :math:`y = P (x - \\mu)`.

    Args:
        x: Variable or array of shape ``(b, c, ...)``, float.
        mean: Variable or array ``(groups, c // groups)``, ``x``'s dtype.
        projection: Variable or array ``(groups, c // groups, c // groups)``, ``x``'s dtype.
        groups: Number of channel groups.

    Returns:
        A Variable of ``x``'s shape and dtype (differentiable in all three inputs once;
        no double backprop, as in Chainer).

    Raises:
        kusari.utils.type_check.InvalidType: Dtypes differ, or the shapes do not fit.

    Example:
        >>> import numpy
        >>> x = numpy.ones((2, 4), numpy.float32)
        >>> mean = numpy.ones((2, 2), numpy.float32)
        >>> proj = numpy.tile(numpy.eye(2, dtype=numpy.float32), (2, 1, 1))
        >>> fixed_decorrelated_batch_normalization(x, mean, proj, groups=2).array.tolist()
        [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    """
    return FixedDecorrelatedBatchNormalization(groups).apply((x, mean, projection))[0]
