"""ROI max align: bilinear-sampled max pooling over regions of interest."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.pooling import _roi_align

_new = variable.Variable._new


class ROIMaxAlign2D(FunctionNode):
    """Maximum of ``grid_h x grid_w`` bilinear samples per output bin of each ROI."""

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
        oh, ow = self.outh, self.outw
        s = _roi_align.RoiSampler(rois, (oh, ow), self.spatial_scale, self.sampling_ratio,
                                  (h, w), x.dtype)
        gh, gw = s.by.shape[2], s.bx.shape[2]
        self._my = s.by.reshape(n_rois, oh * gh, h)
        self._mx = s.bx.reshape(n_rois, ow * gw, w)
        # valid[r, ph, pw, iy, ix]: the sample lies within a pixel of the image
        valid = s.in_h[:, :, None, :, None] & s.in_w[:, None, :, None, :]
        y = xp.empty((n_rois, c, oh, ow), x.dtype)
        argmax = xp.empty((n_rois, c, oh, ow), numpy.int64)
        per_roi = max(h * w, oh * gh * w, oh * gh * ow * gw)
        for sl in s.chunks(n_rois, c, per_roi):
            smp = _roi_align.apply(x, roi_indices, self._my, self._mx, sl)
            smp = smp.reshape(-1, c, oh, gh, ow, gw).transpose(0, 1, 2, 4, 3, 5)
            smp = xp.where(valid[sl][:, None], smp, -numpy.inf).reshape(-1, c, oh, ow, gh * gw)
            am = smp.argmax(axis=4)
            y[sl] = xp.take_along_axis(smp, am[..., None], axis=4)[..., 0]
            argmax[sl] = am
        # bins without any valid sample are -inf (as in Chainer) and get no gradient
        self._argmax = xp.where(y == -numpy.inf, -1, argmax)
        self._x_shape = x.shape
        self._idx = roi_indices
        self._grid = (gh, gw)
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy = grad_outputs[0].array
        xp = get_array_module(gy)
        gx = xp.zeros(self._x_shape, gy.dtype)
        n_rois, c, oh, ow = gy.shape
        gh, gw = self._grid
        h, w = self._x_shape[2:]
        per_roi = max(h * w, oh * gh * w, oh * gh * ow * gw)
        for sl in _roi_align.RoiSampler.chunks(n_rois, c, per_roi):
            am = self._argmax[sl]
            # one-hot of the arg-max sample (none for -inf bins, whose arg-max is -1)
            hot = am[..., None] == xp.arange(gh * gw)
            g = hot * gy[sl][..., None]
            g = g.reshape(-1, c, oh, ow, gh, gw).transpose(0, 1, 2, 4, 3, 5)
            g = g.reshape(-1, c, oh * gh, ow * gw)
            _roi_align.apply_transpose(gx, g, self._idx, self._my, self._mx, sl)
        # like Chainer's (a legacy Function): no gradient for the ROIs, no double backprop
        return tuple(_new(gx, False) if i == 0 else None for i in indexes)


def roi_max_align_2d(x: Any, rois: Any, roi_indices: Any, outsize: Any, spatial_scale: float,
                     sampling_ratio: Any = None) -> variable.Variable:
    """ROI max align (RoIAlign with max pooling over each bin's bilinear samples).

    Each ROI ``(y_min, x_min, y_max, x_max)`` (scaled by ``spatial_scale``, at least
    ``1 x 1``) is split into ``outsize`` bins; each bin takes the maximum of
    ``sampling_ratio`` (or ``ceil(roi size / outsize)``) points per axis, read by bilinear
    interpolation. Points more than one pixel outside the image are skipped; a bin with no
    point left is ``-inf``. The gradient flows to the four pixels around the maximum.

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
        >>> roi_max_align_2d(x, rois, numpy.zeros(1, numpy.int32), 1, 1.0).array.tolist()
        [[[[7.5]]]]
    """
    return ROIMaxAlign2D(outsize, spatial_scale, sampling_ratio).apply(
        (x, rois, roi_indices))[0]
