"""Dilated (atrous) two-dimensional convolution."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.connection.convolution_nd import ConvolutionND


def dilated_convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                           dilate: Any = 1, cover_all: bool = False) -> variable.Variable:
    """Two-dimensional convolution whose filter taps are ``dilate`` pixels apart.

    Same as :func:`~kusari.functions.convolution_2d` with ``dilate=dilate``.

    Args:
        x: Input of shape ``(n, c_in, h, w)``.
        W: Filter of shape ``(c_out, c_in, k_h, k_w)``.
        b: Bias of shape ``(c_out,)`` or None.
        stride: Stride.
        pad: Padding.
        dilate: Dilation factor ``d`` or ``(d_y, d_x)``.
        cover_all: Cover every input pixel.

    Returns:
        Output of shape ``(n, c_out, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 1, 7, 7), numpy.float32)
        >>> dilated_convolution_2d(x, numpy.ones((1, 1, 3, 3), numpy.float32), dilate=2).shape
        (1, 1, 3, 3)
    """
    node = ConvolutionND(2, stride, pad, cover_all, dilate, 1,
                         label="DilatedConvolution2DFunction")
    args = (x, W) if b is None else (x, W, b)
    return node.apply(args)[0]
