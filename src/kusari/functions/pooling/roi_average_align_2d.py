"""ROI average align: bilinear-sampled average pooling over regions of interest."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.pooling import _roi_align

_new = variable.Variable._new


class ROIAverageAlign2D(FunctionNode):
    """Average of ``grid_h x grid_w`` bilinear samples per output bin of each ROI."""

    _fast_check = staticmethod(_roi_align.fast_check)

    def __init__(self, outsize: Any, spatial_scale: float, sampling_ratio: Any = None) -> None:
        (self.outh, self.outw), self.spatial_scale, self.sampling_ratio = \
            _roi_align.parse_args(outsize, spatial_scale, sampling_ratio)

    def check_type_forward(self, in_types: Any) -> None:
        _roi_align.check_types(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x, rois, roi_indices = inputs
        xp = get_array_module(x)
        n_rois = rois.shape[0]
        c, h, w = x.shape[1:]
        s = _roi_align.RoiSampler(rois, (self.outh, self.outw), self.spatial_scale,
                                  self.sampling_ratio, (h, w), x.dtype)
        # the average over a bin's samples, folded into one matrix per axis
        self._ay = s.by.sum(axis=2) / s.grid_h[:, None, None].astype(x.dtype)
        self._ax = s.bx.sum(axis=2) / s.grid_w[:, None, None].astype(x.dtype)
        self._x_shape = x.shape
        self._idx = roi_indices
        y = xp.empty((n_rois, c, self.outh, self.outw), x.dtype)
        for sl in s.chunks(n_rois, c, max(h * w, self.outh * w)):
            y[sl] = _roi_align.apply(x, roi_indices, self._ay, self._ax, sl)
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy = grad_outputs[0].array
        xp = get_array_module(gy)
        gx = xp.zeros(self._x_shape, gy.dtype)
        c, h, w = self._x_shape[1:]
        for sl in _roi_align.RoiSampler.chunks(gy.shape[0], c, h * w):
            _roi_align.apply_transpose(gx, gy[sl], self._idx, self._ay, self._ax, sl)
        # like Chainer's (a legacy Function): no gradient for the ROIs, no double backprop
        return tuple(_new(gx, False) if i == 0 else None for i in indexes)


def roi_average_align_2d(x: Any, rois: Any, roi_indices: Any, outsize: Any,
                         spatial_scale: float, sampling_ratio: Any = None) -> variable.Variable:
    """ROI average align (Mask R-CNN's RoIAlign with average pooling).

    Each ROI ``(y_min, x_min, y_max, x_max)`` (scaled by ``spatial_scale``, at least
    ``1 x 1``) is split into ``outsize`` bins; each bin averages
    ``sampling_ratio`` (or ``ceil(roi size / outsize)``) points per axis, placed at the
    centres of a regular sub-grid and read by bilinear interpolation. Points more than one
    pixel outside the image count as 0.

    Args:
        x: Variable or array ``(n, c, h, w)``, float32.
        rois: Array ``(R, 4)``, float32: ``(y_min, x_min, y_max, x_max)`` per ROI.
        roi_indices: Array ``(R,)``, int32: the image of each ROI.
        outsize: ``(outh, outw)`` or an int for both.
        spatial_scale: Scale from ROI coordinates to ``x``'s pixels (positive).
        sampling_ratio: Points per bin and axis: an int ``>= 1``, a pair, or ``None``
            (adaptive, per ROI).

    Returns:
        A Variable ``(R, c, outh, outw)`` (no gradient for ``rois``; no double backprop).

    Raises:
        TypeError: ``outsize``, ``spatial_scale`` or ``sampling_ratio`` is invalid.
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> rois = numpy.array([[0, 0, 2, 2]], numpy.float32)
        >>> roi_average_align_2d(x, rois, numpy.zeros(1, numpy.int32), 1, 1.0).array.tolist()
        [[[[5.0]]]]
    """
    return ROIAverageAlign2D(outsize, spatial_scale, sampling_ratio).apply(
        (x, rois, roi_indices))[0]
