"""Reductions and broadcasts shared by the normalization functions.

The gradient formulas are written once against a tiny interface implemented twice: on
raw arrays (the fast first-order path) and on Variables (differentiable, for higher-order
gradients).
"""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module


class ArrayOps:
    """The interface on raw arrays."""

    @staticmethod
    def sum(x: Any, axis: tuple) -> Any:
        return x.sum(axis=axis)

    @staticmethod
    def expand(v: Any, eshape: tuple, full: tuple) -> Any:
        return v.reshape(eshape)

    @staticmethod
    def rsqrt(v: Any) -> Any:
        return 1 / get_array_module(v).sqrt(v)

    @staticmethod
    def cast(v: Any, dtype: Any) -> Any:
        return v.astype(dtype, copy=False)


class VariableOps:
    """The interface on Variables, built from differentiable functions."""

    @staticmethod
    def sum(x: Any, axis: tuple) -> Any:
        from kusari.functions.math.sum import sum as f_sum

        return f_sum(x, axis=axis)

    @staticmethod
    def expand(v: Any, eshape: tuple, full: tuple) -> Any:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape

        return broadcast_to(reshape(v, eshape), full)

    @staticmethod
    def rsqrt(v: Any) -> Any:
        return v ** -0.5

    @staticmethod
    def cast(v: Any, dtype: Any) -> Any:
        if v.dtype == dtype:
            return v
        from kusari.functions.array.cast import cast

        return cast(v, dtype)


def as_var(x: Any) -> variable.Variable:
    return x if isinstance(x, variable.Variable) else variable.Variable._new(x, False)


def compute_axis(x_ndim: int, gamma_ndim: int, axis: tuple | None) -> tuple:
    """The reduced axes: given, or the batch axis and the axes after ``gamma``'s."""
    if axis is not None:
        return axis
    return (0,) + tuple(range(gamma_ndim + 1, x_ndim))


def normalize_axis_arg(axis: Any) -> tuple | None:
    """Chainer's validation of the ``axis`` argument of batch normalization."""
    if isinstance(axis, (tuple, list)):
        for i in range(1, len(axis)):
            if axis[i - 1] >= axis[i]:
                raise RuntimeError("numbers in axis must be sorted in ascending order")
        return tuple(axis)
    if isinstance(axis, int):
        return (axis,)
    if axis is not None:
        raise RuntimeError("axis must be int, tuple of int or None")
    return None


def expander(x_shape: tuple, axis: tuple) -> tuple:
    """``x``'s shape with the reduced axes set to 1: the broadcast shape of statistics."""
    return tuple(1 if i in axis else s for i, s in enumerate(x_shape))


def bn_grads(ops: Any, x: Any, gamma: Any, gy: Any, axis: tuple, eps: float,
             mean: Any = None, inv_std: Any = None) -> tuple:
    """``(gx, ggamma, gbeta)`` of batch normalization with batch statistics.

    ``gx = gamma inv_std (gy - mean(gy) - xhat mean(gy xhat))`` over the reduced axes.
    ``mean`` and ``inv_std`` may be passed when known (array path); they are recomputed
    from ``x`` otherwise, so that the Variable path is differentiable in ``x``.
    """
    full = x.shape
    es = expander(full, axis)
    m = x.size // gamma.size
    if mean is None:
        mean = ops.sum(x, axis) * (1.0 / m)
        xc = x - ops.expand(mean, es, full)
        inv_std = ops.rsqrt(ops.sum(xc * xc, axis) * (1.0 / m) + eps)
    else:
        xc = x - ops.expand(mean, es, full)
    xhat = xc * ops.expand(inv_std, es, full)
    gbeta = ops.sum(gy, axis)
    ggamma = ops.sum(gy * xhat, axis)
    scale = ops.cast(gamma, inv_std.dtype) * inv_std
    gx = ops.expand(scale, es, full) * (
        gy - (xhat * ops.expand(ggamma, es, full) + ops.expand(gbeta, es, full)) * (1.0 / m))
    return gx, ggamma, gbeta
