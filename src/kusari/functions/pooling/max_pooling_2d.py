"""Two-dimensional max pooling."""

from __future__ import annotations

from typing import Any

from kusari.functions.pooling import _pooling_util as pu
from kusari.functions.pooling.max_pooling_nd import _max_pooling


def max_pooling_2d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """Two-dimensional max pooling: :math:`y_{n,c,i,j} = \\max_{k,l} x_{n,c,i s_y + k - p_h,
    j s_x + l - p_w}` over each ``-inf``-padded window.

    The gradient flows only to the first maximum of each window.

    Args:
        x: Input of shape ``(n, c, h, w)``.
        ksize: Window size ``k`` or ``(k_h, k_w)``.
        stride: Stride; None means ``ksize``.
        pad: Padding ``p`` or ``(p_h, p_w)``.
        cover_all: Pad the high side so that every pixel is in some window.
        return_indices: Also return the flat in-window indexes of the maxima
            (an int array of the output's shape, for :func:`upsampling_2d`).

    Returns:
        The output Variable, or ``(y, indexes)`` with ``return_indices``.

    Raises:
        ValueError: ``x`` does not have two spatial axes.
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> max_pooling_2d(x, 2).array
        array([[[[ 5.,  7.],
                 [13., 15.]]]], dtype=float32)
    """
    pu.check_ndim(x, 2)
    return _max_pooling(2, "MaxPooling2D", x, ksize, stride, pad, cover_all, return_indices)
