"""Two-dimensional average pooling."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.pooling.average_pooling_nd import AveragePoolingND


def average_pooling_2d(x: Any, ksize: Any, stride: Any = None,
                       pad: Any = 0) -> variable.Variable:
    """Two-dimensional average pooling: the mean of each zero-padded window.

    :math:`y_{n,c,i,j} = \\frac{1}{k_h k_w} \\sum_{k,l} x_{n,c,i s_y + k - p_h,
    j s_x + l - p_w}`; padded elements count as zeros.

    Args:
        x: Input of shape ``(n, c, h, w)``.
        ksize: Window size ``k`` or ``(k_h, k_w)``.
        stride: Stride; None means ``ksize``.
        pad: Padding.

    Returns:
        Output of shape ``(n, c, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not a 4-d float array.

    Example:
        >>> import numpy
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> average_pooling_2d(x, 2).array
        array([[[[ 2.5,  4.5],
                 [10.5, 12.5]]]], dtype=float32)
    """
    return AveragePoolingND(2, ksize, stride, pad, 0, "AveragePooling2D").apply((x,))[0]
