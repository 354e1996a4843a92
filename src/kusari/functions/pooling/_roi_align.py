"""Shared machinery of ROI align (average and max): bilinear sample matrices per ROI.

Each ROI is split into ``outh x outw`` bins, each sampled on a ``grid_h x grid_w`` grid of
points (``sampling_ratio``, or ``ceil(roi size / out size)`` per ROI). Bilinear sampling
is separable, so per ROI and axis the samples are a sparse matrix ``B`` of shape
``(out * G, size)`` (two taps per row, rows of out-of-range or padding samples are zero).
All the samples of a ROI are then ``By @ x[n] @ Bx^T``: two batched matrix products, no
loops over pixels; the transpose (backward) is ``By^T @ g @ Bx``. ROIs are processed in
chunks to bound the memory of the gathered images.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy

from kusari.backend import get_array_module
from kusari.functions.array._interp import scatter_add
from kusari.functions.pooling import _roi_util
from kusari.utils import type_check

_CHUNK_ELEMENTS = 1 << 22


def pair(x: Any) -> tuple:
    if isinstance(x, Iterable):
        return tuple(x)
    return x, x


def parse_args(outsize: Any, spatial_scale: Any, sampling_ratio: Any) -> tuple:
    """Validate the arguments as Chainer does (``TypeError`` naming the argument)."""
    outh, outw, spatial_scale = _roi_util.check_sizes(*pair(outsize), spatial_scale)
    sampling_ratio = pair(sampling_ratio)
    if not all(s is None or (isinstance(s, numbers.Integral) and s >= 1)
               for s in sampling_ratio):
        raise TypeError(f"sampling_ratio must be integer >= 1 or a pair of it: {sampling_ratio}")
    return (outh, outw), spatial_scale, sampling_ratio


def check_types(in_types: Any) -> None:
    type_check.expect(in_types.size() == 3)
    type_check.argname(in_types, ("x", "rois", "roi_indices"))
    x_type, roi_type, idx_type = in_types
    type_check.expect(
        x_type.dtype == numpy.float32,
        x_type.ndim == 4,
        roi_type.dtype == numpy.float32,
        roi_type.ndim == 2,
        roi_type.shape[1] == 4,
        idx_type.dtype == numpy.int32,
        idx_type.ndim == 1,
        roi_type.shape[0] == idx_type.shape[0],
    )


def fast_check(in_data: tuple) -> bool:
    x, rois, idx = in_data
    return (x.dtype == numpy.float32 and x.ndim == 4 and rois.dtype == numpy.float32
            and rois.ndim == 2 and rois.shape[1] == 4 and idx.dtype == numpy.int32
            and idx.ndim == 1 and rois.shape[0] == idx.shape[0])


def _axis_samples(xp: Any, start: Any, length: Any, n_out: int, ratio: Any, size: int,
                  dtype: Any) -> tuple:
    """Sample matrices ``(R, n_out, G, size)``, the per-ROI grid counts and sample masks."""
    r = start.shape[0]
    if ratio is None:
        grid = xp.ceil(length / n_out).astype(numpy.int64)
    else:
        grid = xp.full(r, ratio, numpy.int64)
    g_max = int(grid.max()) if r else 1
    g_max = max(g_max, 1)
    binsz = length / n_out
    p = xp.arange(n_out, dtype=numpy.float64)[None, :, None]
    i = xp.arange(g_max, dtype=numpy.float64)[None, None, :]
    pos = (start[:, None, None] + p * binsz[:, None, None]
           + (i + 0.5) * binsz[:, None, None] / grid[:, None, None])
    inside = (i < grid[:, None, None]) & (pos >= -1) & (pos <= size)
    low = xp.floor(pos)
    low = xp.where(low == size, size - 1, low)
    pos = xp.where(low <= -1, 0.0, xp.where(low + 1 >= size, size - 1.0, pos))
    w_high = pos - low
    w_low = (low + 1) - pos
    low = low.astype(numpy.int64)
    high = low + 1
    w_low = w_low * (inside & (low >= 0))
    w_high = w_high * (inside & (high <= size - 1))
    mat = xp.zeros(r * n_out * g_max * size, dtype)
    base = xp.arange(r * n_out * g_max, dtype=numpy.int64).reshape(r, n_out, g_max) * size
    scatter_add(xp, mat, (base + low.clip(0, size - 1)).ravel(), w_low.astype(dtype).ravel())
    scatter_add(xp, mat, (base + high.clip(0, size - 1)).ravel(), w_high.astype(dtype).ravel())
    return mat.reshape(r, n_out, g_max, size), grid, inside


class RoiSampler:
    """Sample matrices of a batch of ROIs over an image of ``(H, W)``."""

    def __init__(self, rois: Any, outsize: tuple, spatial_scale: float,
                 sampling_ratio: tuple, hw: tuple, dtype: Any) -> None:
        xp = get_array_module(rois)
        r = rois.astype(numpy.float64) * spatial_scale
        roi_h = xp.maximum(r[:, 2] - r[:, 0], 1.0)
        roi_w = xp.maximum(r[:, 3] - r[:, 1], 1.0)
        self.by, self.grid_h, self.in_h = _axis_samples(
            xp, r[:, 0], roi_h, outsize[0], sampling_ratio[0], hw[0], dtype)
        self.bx, self.grid_w, self.in_w = _axis_samples(
            xp, r[:, 1], roi_w, outsize[1], sampling_ratio[1], hw[1], dtype)
        self.outsize = outsize
        self.hw = hw

    @staticmethod
    def chunks(n_rois: int, channels: int, per_roi: int) -> Iterable:
        step = max(1, _CHUNK_ELEMENTS // max(1, channels * per_roi))
        for s in range(0, n_rois, step):
            yield slice(s, min(s + step, n_rois))


def apply(x: Any, idx: Any, my: Any, mx: Any, sl: slice) -> Any:
    """``my[r] @ x[idx[r]] @ mx[r]^T`` for the ROIs in ``sl``: ``(r, C, rows_y, rows_x)``."""
    xp = get_array_module(x)
    xs = x[idx[sl]]
    t = xp.matmul(my[sl][:, None], xs)
    return xp.matmul(t, mx[sl][:, None].transpose(0, 1, 3, 2))


def apply_transpose(gx: Any, g: Any, idx: Any, my: Any, mx: Any, sl: slice) -> None:
    """``gx[idx[r]] += my[r]^T @ g @ mx[r]`` for the ROIs in ``sl`` (in place)."""
    xp = get_array_module(gx)
    t = xp.matmul(my[sl][:, None].transpose(0, 1, 3, 2), g)
    t = xp.matmul(t, mx[sl][:, None])
    scatter_add(xp, gx, idx[sl], t)
