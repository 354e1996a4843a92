"""RoI max pooling with ``(y_min, x_min, y_max, x_max)`` ROIs and a separate batch index."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.pooling import _roi_util


def roi_max_pooling_2d(x: Any, rois: Any, roi_indices: Any, outsize: int | tuple,
                       spatial_scale: float) -> variable.Variable:
    """Spatial region-of-interest max pooling.

    Each ROI ``(y_min, x_min, y_max, x_max)`` of image ``roi_indices[r]`` is scaled by
    ``spatial_scale`` and rounded; its ``(y_max - y_min) x (x_max - x_min)`` pixels are
    cut into an ``outh x outw`` grid (``floor(i s) .. ceil((i + 1) s)``, clipped) and
    each bin is max-pooled per channel. Bins outside the map hold ``-inf`` (as Chainer).

    Args:
        x: Feature maps ``(n, c, h, w)``.
        rois: ROIs ``(R, 4)`` of the dtype of ``x``.
        roi_indices: int32 ``(R,)``: the image of each ROI.
        outsize: ``outh`` or ``(outh, outw)``, positive ints.
        spatial_scale: Positive scale from ROI coordinates to feature-map pixels.

    Returns:
        Output of shape ``(R, c, outh, outw)``.

    Raises:
        TypeError: ``outsize`` or ``spatial_scale`` is not positive.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> rois = numpy.array([[0, 0, 4, 4]], numpy.float32)
        >>> idx = numpy.zeros(1, numpy.int32)
        >>> roi_max_pooling_2d(x, rois, idx, 2, 1.0).array[0, 0].tolist()
        [[5.0, 7.0], [13.0, 15.0]]
    """
    outh, outw, scale = _roi_util.check_outsize(outsize, spatial_scale)
    return _roi_util.apply("max", x, rois, roi_indices, outh, outw, scale, "yxyx",
                           "ROIMaxPooling2D")
