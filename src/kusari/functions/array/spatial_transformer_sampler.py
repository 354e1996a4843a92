"""Bilinear sampling of images at the points of a spatial transformer grid."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.array._interp import scatter_add
from kusari.functions.array.spatial_transformer_grid import _reject_kwargs
from kusari.utils import type_check

_new = variable.Variable._new


def _corners(x_shape: tuple, grid: Any) -> tuple:
    """The four bilinear taps of every grid point, in a zero-padded frame.

    Returns ``(idx, w, valid, du, dv, inside_u, inside_v)``: ``idx[k]`` (``(n, P)``) flat
    indices into ``x[n, c]`` (clipped, so always legal), ``w[k]`` the tap weights with taps
    in the zero padding weighted 0, ``valid[k]`` the in-image masks, ``du``/``dv`` the
    fractional offsets and ``inside_*`` where the coordinates are strictly inside the padded
    frame (elsewhere the grid gets no gradient). Taps are ordered ``(v0, u0), (v0, u1),
    (v1, u0), (v1, u1)``.
    """
    xp = get_array_module(grid)
    n, _, h, w = x_shape
    dt = grid.dtype
    g = grid.reshape(n, 2, -1)
    # padded coordinates: pixel i of the image sits at i + 1, the padding at 0 and W + 1
    u = (g[:, 0] + 1) * dt.type((w - 1) / 2) + 1
    v = (g[:, 1] + 1) * dt.type((h - 1) / 2) + 1
    inside_u = (u > 0) & (u < w + 1)
    inside_v = (v > 0) & (v < h + 1)
    u = u.clip(0, w + 1)
    v = v.clip(0, h + 1)
    u0 = xp.floor(u).clip(0, w)
    v0 = xp.floor(v).clip(0, h)
    du = u - u0
    dv = v - v0
    u0 = u0.astype(numpy.intp)
    v0 = v0.astype(numpy.intp)
    idx, wts, valid = [], [], []
    for vi, wv in ((v0, 1 - dv), (v0 + 1, dv)):
        ok_v = (vi >= 1) & (vi <= h)
        row = (vi - 1).clip(0, h - 1) * w
        for ui, wu in ((u0, 1 - du), (u0 + 1, du)):
            ok = ok_v & (ui >= 1) & (ui <= w)
            idx.append(row + (ui - 1).clip(0, w - 1))
            valid.append(ok)
            wts.append(wv * wu * ok)
    return idx, wts, valid, du, dv, inside_u, inside_v


def _gather(x: Any, idx: Any) -> Any:
    """``x[n, c, idx[n, p]]`` for ``x`` of shape ``(n, c, h * w)``: ``(n, c, P)``."""
    xp = get_array_module(x)
    return xp.take_along_axis(x, idx[:, None, :], axis=2)


class SpatialTransformerSampler(FunctionNode):
    """``y[n, c, p] = sum_k w_k[n, p] x[n, c, tap_k[n, p]]`` with zero padding outside."""

    @staticmethod
    def _fast_check(in_data: tuple) -> bool:
        x, grid = in_data
        return (x.dtype.kind == "f" and grid.dtype == x.dtype and x.ndim == 4
                and grid.ndim == 4 and grid.shape[1] == 2 and x.shape[0] == grid.shape[0])

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x", "grid"))
        x_type, grid_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            grid_type.dtype == x_type.dtype,
            x_type.ndim == 4,
            grid_type.ndim == 4,
            grid_type.shape[1] == 2,
            x_type.shape[0] == grid_type.shape[0],
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, grid = inputs
        n, c, h, w = x.shape
        idx, wts, _, _, _, _, _ = _corners(x.shape, grid)
        xf = x.reshape(n, c, h * w)
        y = None
        for i, wk in zip(idx, wts):
            t = _gather(xf, i)
            t *= wk[:, None, :]
            y = t if y is None else y + t
        return y.reshape((n, c) + grid.shape[2:]),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, grid = self.get_retained_inputs()
        gx, ggrid = _sampler_grad(x.array, grid.array, grad_outputs[0].array, indexes)
        # like Chainer's (a legacy Function), the gradient has no graph: no double backprop
        return tuple(_new(gx if i == 0 else ggrid, False) for i in indexes)


def _sampler_grad(x: Any, grid: Any, gy: Any, indexes: tuple) -> tuple:
    xp = get_array_module(x)
    n, c, h, w = x.shape
    idx, wts, valid, du, dv, inside_u, inside_v = _corners(x.shape, grid)
    gyf = gy.reshape(n, c, -1)
    gx = ggrid = None
    if 0 in indexes:
        gx = xp.zeros(x.size, x.dtype)
        base = (xp.arange(n * c, dtype=idx[0].dtype) * (h * w)).reshape(n, c, 1)
        for i, wk in zip(idx, wts):
            scatter_add(xp, gx, (base + i[:, None, :]).ravel(), (gyf * wk[:, None, :]).ravel())
        gx = gx.reshape(x.shape)
    if 1 in indexes:
        xf = x.reshape(n, c, h * w)
        # tap values (zero in the padding) contracted with gy over channels
        t00, t01, t10, t11 = (
            (_gather(xf, i) * gyf).sum(axis=1) * ok for i, ok in zip(idx, valid))
        gu = (1 - dv) * (t01 - t00) + dv * (t11 - t10)
        gv = (1 - du) * (t10 - t00) + du * (t11 - t01)
        gu *= inside_u * x.dtype.type((w - 1) / 2)
        gv *= inside_v * x.dtype.type((h - 1) / 2)
        ggrid = xp.stack((gu, gv), axis=1).reshape(grid.shape).astype(grid.dtype, copy=False)
    return gx, ggrid


def spatial_transformer_sampler(x: Any, grid: Any, **kwargs: Any) -> variable.Variable:
    """Sample ``x`` bilinearly at the points of ``grid`` (a spatial transformer's sampler).

    For an output pixel whose grid point maps to the source position :math:`(u, v)`
    (pixels, from the normalized :math:`(-1, -1)` top-left corner and :math:`(1, 1)`
    bottom-right one),

    .. math:: y = \\sum_{i \\in \\{\\lfloor v \\rfloor, \\lfloor v \\rfloor + 1\\}}
              \\sum_{j \\in \\{\\lfloor u \\rfloor, \\lfloor u \\rfloor + 1\\}}
              (1 - |v - i|) (1 - |u - j|) \\, x_{ij},

    with :math:`x` zero-padded by one pixel, so points outside :math:`[-1, 1]` fade to 0.
    The gradient with respect to ``grid`` is zero where a coordinate lies beyond the
    padding. See `Spatial Transformer Networks <https://arxiv.org/abs/1506.02025>`_.

    Args:
        x: Variable or array of shape ``(n, c_I, h, w)``, float.
        grid: Variable or array of shape ``(n, 2, h_O, w_O)`` and ``x``'s dtype; channel 0
            is the horizontal coordinate, channel 1 the vertical one (as
            :func:`spatial_transformer_grid` makes it).

    Returns:
        A Variable of shape ``(n, c_I, h_O, w_O)``. Its gradient has no graph (no double
        backprop, as in Chainer).

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.
        ValueError: ``use_cudnn`` is given (removed in Chainer 2).
        TypeError: Another keyword argument is given.

    Example:
        >>> import numpy
        >>> x = numpy.arange(4, dtype=numpy.float32).reshape(1, 1, 2, 2)
        >>> grid = numpy.zeros((1, 2, 1, 1), numpy.float32)  # the image centre
        >>> spatial_transformer_sampler(x, grid).array.tolist()
        [[[[1.5]]]]
    """
    if kwargs:
        _reject_kwargs(kwargs)
    return SpatialTransformerSampler().apply((x, grid))[0]
