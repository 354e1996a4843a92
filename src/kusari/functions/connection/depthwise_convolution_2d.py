"""Depthwise two-dimensional convolution: each input channel gets its own filters."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.connection.convolution_nd import ConvolutionND
from kusari.utils import type_check


def depthwise_convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1,
                             pad: Any = 0) -> variable.Variable:
    """Depthwise convolution: channel ``c`` is convolved with ``W[m, c]`` for each ``m``.

    Output channel ``c * M + m`` is :math:`\\sum_{k,l} W_{m,c,k,l}\\, x_{n,c,i s + k - p,
    j s + l - p}` (+ ``b[c * M + m]``); it is a grouped convolution with ``groups = c_in``.

    Args:
        x: Input of shape ``(n, c_in, h, w)``.
        W: Filters of shape ``(M, c_in, k_h, k_w)`` (``M`` is the channel multiplier).
        b: Bias of shape ``(M * c_in,)`` or None.
        stride: Stride.
        pad: Padding.

    Returns:
        Output of shape ``(n, M * c_in, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 2, 4, 4), numpy.float32)
        >>> depthwise_convolution_2d(x, numpy.ones((3, 2, 3, 3), numpy.float32)).shape
        (1, 6, 2, 2)
    """
    from kusari.functions.array.reshape import reshape
    from kusari.functions.array.transpose import transpose

    w_shape = W.shape
    x_shape = x.shape
    if len(w_shape) != 4 or len(x_shape) != 4 or w_shape[1] != x_shape[1]:
        raise type_check.InvalidType(
            "x.ndim == 4, W.ndim == 4, x.shape[1] == W.shape[1]",
            f"x.shape={tuple(x_shape)}, W.shape={tuple(w_shape)}",
            msg="\nInvalid operation is performed in: DepthwiseConvolution2D (Forward)\n\n"
                "Expect: x.ndim == 4, W.ndim == 4, x.shape[1] == W.shape[1]\n"
                f"Actual: x.shape={tuple(x_shape)}, W.shape={tuple(w_shape)}")
    m, c, kh, kw = w_shape
    Wg = reshape(transpose(W, (1, 0, 2, 3)), (c * m, 1, kh, kw))
    node = ConvolutionND(2, stride, pad, False, 1, c, label="DepthwiseConvolution2D")
    args = (x, Wg) if b is None else (x, Wg, b)
    return node.apply(args)[0]
