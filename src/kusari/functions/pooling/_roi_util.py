"""Region-of-interest pooling on a fixed grid of bins (Fast R-CNN), max or average.

Each ROI is rounded to the feature map (``round(coord * spatial_scale)``) and cut into
``outh x outw`` bins of ``floor(i * stride) .. ceil((i + 1) * stride)`` pixels, clipped to
the map. The kernels loop over ROIs and bins; every step covers all channels at once.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


def _pair(v: Any) -> tuple:
    if isinstance(v, (list, tuple)):
        return tuple(v)
    return v, v


def check_outsize(outsize: Any, spatial_scale: Any) -> tuple:
    """Chainer's argument checks of ``roi_max/average_pooling_2d``."""
    return check_sizes(*_pair(outsize), spatial_scale)


def check_sizes(outh: Any, outw: Any, spatial_scale: Any) -> tuple:
    """``(outh, outw, spatial_scale)`` checked as Chainer's ROI functions do (a
    ``TypeError`` naming the argument) and returned as ints and a float."""
    if not (isinstance(outh, numbers.Integral) and outh > 0):
        raise TypeError(f"outsize[0] must be positive integer: {type(outh)}, {outh}")
    if not (isinstance(outw, numbers.Integral) and outw > 0):
        raise TypeError(f"outsize[1] must be positive integer: {type(outw)}, {outw}")
    if isinstance(spatial_scale, numbers.Integral):
        spatial_scale = float(spatial_scale)
    if not (isinstance(spatial_scale, numbers.Real) and spatial_scale > 0):
        raise TypeError(f"spatial_scale must be a positive float number: "
                        f"{type(spatial_scale)}, {spatial_scale}")
    return int(outh), int(outw), float(spatial_scale)


def _edges(n: int, stride: float, size: int, offset: int) -> list:
    out = []
    for i in range(n):
        lo = min(max(int(math.floor(i * stride)) + offset, 0), size)
        hi = min(max(int(math.ceil((i + 1) * stride)) + offset, 0), size)
        out.append((lo, hi))
    return out


def _bins(rois: Any, roi_indices: Any, outh: int, outw: int, scale: float, height: int,
          width: int, inclusive: bool) -> list:
    """``(roi, batch index, i, j, y0, y1, x0, x1)`` of every non-empty bin.

    ``rois`` rows are ``(y_min, x_min, y_max, x_max)``; with ``inclusive`` the ROI spans
    ``max - min + 1`` pixels (``roi_pooling_2d``), otherwise ``max - min``.
    """
    rois = numpy.asarray(rois.get() if hasattr(rois, "get") else rois, numpy.float64)
    idx = numpy.asarray(roi_indices.get() if hasattr(roi_indices, "get") else roi_indices)
    extra = 1 if inclusive else 0
    out = []
    for r in range(len(rois)):
        y0, x0, y1, x1 = (int(round(float(v) * scale)) for v in rois[r])
        hs = _edges(outh, max(y1 - y0 + extra, 1) / outh, height, y0)
        ws = _edges(outw, max(x1 - x0 + extra, 1) / outw, width, x0)
        for i, (ya, yb) in enumerate(hs):
            if yb <= ya:
                continue
            for j, (xa, xb) in enumerate(ws):
                if xb > xa:
                    out.append((r, int(idx[r]), i, j, ya, yb, xa, xb))
    return out


class ROIPooling(FunctionNode):
    """Max or average over each bin of each ROI; linear in ``x`` given the argmax."""

    def __init__(self, mode: str, outh: int, outw: int, spatial_scale: float,
                 layout: str, label: str) -> None:
        self.mode = mode
        self.outh, self.outw = outh, outw
        self.spatial_scale = spatial_scale
        self.layout = layout  # 'bxyxy': (R, 5) rows (batch, x0, y0, x1, y1); 'yxyx' + ids
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def check_type_forward(self, in_types: Any) -> None:
        if self.layout == "bxyxy":
            type_check.expect(in_types.size() == 2)
            type_check.argname(in_types, ("x", "rois"))
            x_type, roi_type = in_types
            type_check.expect(
                x_type.dtype.kind == "f",
                x_type.ndim == 4,
                x_type.dtype == roi_type.dtype,
                roi_type.ndim == 2,
                roi_type.shape[1] == 5,
            )
            return
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ("x", "rois", "roi_indices"))
        x_type, roi_type, roi_index_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            x_type.ndim == 4,
            x_type.dtype == roi_type.dtype,
            roi_type.ndim == 2,
            roi_type.shape[1] == 4,
            roi_index_type.dtype == numpy.int32,
            roi_index_type.ndim == 1,
            roi_type.shape[0] == roi_index_type.shape[0],
        )

    def forward(self, inputs: tuple) -> tuple:
        x = inputs[0]
        xp = get_array_module(x)
        if self.layout == "bxyxy":
            rois = inputs[1]
            ids = rois[:, 0].astype(numpy.int32)
            coords = rois[:, [2, 1, 4, 3]]
        else:
            coords, ids = inputs[1], inputs[2]
        n, c, h, w = x.shape
        self.in_shape = x.shape
        self.n_rois = len(coords)
        self.bins = _bins(coords, ids, self.outh, self.outw, self.spatial_scale, h, w,
                          self.layout == "bxyxy")
        shape = (len(coords), c, self.outh, self.outw)
        # empty bins: 0 for roi_pooling_2d and average, -inf for roi_max_pooling_2d
        fill = float("-inf") if self._label == "ROIMaxPooling2D" else 0.0
        y = xp.full(shape, fill, x.dtype)
        if self.mode == "max":
            self.argmax = xp.full(shape, -1, numpy.int32)
            ch = xp.arange(c)
            for r, b, i, j, ya, yb, xa, xb in self.bins:
                region = x[b, :, ya:yb, xa:xb].reshape(c, -1)
                am = region.argmax(axis=1)
                y[r, :, i, j] = region[ch, am]
                lw = xb - xa
                self.argmax[r, :, i, j] = (ya + am // lw) * w + xa + am % lw
        else:
            for r, b, i, j, ya, yb, xa, xb in self.bins:
                y[r, :, i, j] = x[b, :, ya:yb, xa:xb].mean(axis=(1, 2))
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gx, = ROIPoolingGrad(self).apply(grad_outputs)
        return (gx,) + (None,) * (len(self.inputs) - 1)


class ROIPoolingGrad(FunctionNode):
    """Spread ``gy`` back: to each bin's argmax (max) or evenly over the bin (average)."""

    def __init__(self, fwd: ROIPooling) -> None:
        self.fwd = fwd

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        f = self.fwd
        xp = get_array_module(gy)
        n, c, h, w = f.in_shape
        gx = xp.zeros((n, c, h * w), gy.dtype)
        ch = xp.arange(c)
        for r, b, i, j, ya, yb, xa, xb in f.bins:
            if f.mode == "max":
                gx[b, ch, f.argmax[r, :, i, j]] += gy[r, :, i, j]
            else:
                area = gy.dtype.type((yb - ya) * (xb - xa))
                g = gx[b].reshape(c, h, w)
                g[:, ya:yb, xa:xb] += (gy[r, :, i, j] / area)[:, None, None]
        return gx.reshape(n, c, h, w),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return _ROIGather(self.fwd).apply(grad_outputs)


class _ROIGather(FunctionNode):
    """The adjoint of :class:`ROIPoolingGrad`: the pooling with the recorded bins."""

    def __init__(self, fwd: ROIPooling) -> None:
        self.fwd = fwd

    def forward(self, inputs: tuple) -> tuple:
        ggx, = inputs
        f = self.fwd
        xp = get_array_module(ggx)
        c = ggx.shape[1]
        y = xp.zeros((f.n_rois, c, f.outh, f.outw), ggx.dtype)
        ch = xp.arange(c)
        for r, b, i, j, ya, yb, xa, xb in f.bins:
            if f.mode == "max":
                y[r, :, i, j] = ggx[b].reshape(c, -1)[ch, f.argmax[r, :, i, j]]
            else:
                y[r, :, i, j] = ggx[b, :, ya:yb, xa:xb].mean(axis=(1, 2))
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ROIPoolingGrad(self.fwd).apply(grad_outputs)


def apply(mode: str, x: Any, rois: Any, roi_indices: Any, outh: int, outw: int,
          spatial_scale: float, layout: str, label: str) -> variable.Variable:
    node = ROIPooling(mode, outh, outw, spatial_scale, layout, label)
    args = (x, rois) if roi_indices is None else (x, rois, roi_indices)
    return node.apply(args)[0]
