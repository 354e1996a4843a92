"""RoI max pooling with Fast R-CNN's ``(batch, x_min, y_min, x_max, y_max)`` ROI rows."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.pooling import _roi_util


def roi_pooling_2d(x: Any, rois: Any, outh: int, outw: int,
                   spatial_scale: float) -> variable.Variable:
    """Spatial region-of-interest max pooling (Fast R-CNN).

    Each ROI ``(batch, x_min, y_min, x_max, y_max)`` is scaled by ``spatial_scale`` and
    rounded; its ``(y_max - y_min + 1) x (x_max - x_min + 1)`` pixels are cut into an
    ``outh x outw`` grid of bins (``floor(i s) .. ceil((i + 1) s)``, clipped to the map)
    and each bin is max-pooled per channel. Bins that fall outside the map are 0.

    Args:
        x: Feature maps ``(n, c, h, w)``.
        rois: ROIs ``(R, 5)`` of the dtype of ``x``.
        outh: Output height.
        outw: Output width.
        spatial_scale: Scale from ROI coordinates to feature-map pixels.

    Returns:
        Output of shape ``(R, c, outh, outw)``.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> rois = numpy.array([[0, 0, 0, 3, 3]], numpy.float32)
        >>> roi_pooling_2d(x, rois, 2, 2, 1.0).array[0, 0].tolist()
        [[5.0, 7.0], [13.0, 15.0]]
    """
    return _roi_util.apply("max", x, rois, None, outh, outw, spatial_scale, "bxyxy",
                           "ROIPooling2D")
