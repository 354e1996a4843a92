"""Two-dimensional deconvolution (transposed convolution)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.connection.convolution_2d import _parse_kwargs
from kusari.functions.connection.deconvolution_nd import DeconvolutionND


def deconvolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                     outsize: Any = None, **kwargs: Any) -> variable.Variable:
    """Two-dimensional deconvolution: the gradient of :func:`convolution_2d` for its input.

    Each input pixel scatters ``x[n, i, p, q] W[i, o, k, l]`` to output position
    ``(p s_y + k d_y - p_h, q s_x + l d_x - p_w)``; without ``outsize`` the output height
    is ``s_y (h - 1) + (k_h - 1) d_y + 1 - 2 p_h``.

    Args:
        x: Input of shape ``(n, c_in, h, w)``.
        W: Filter of shape ``(c_in, c_out / groups, k_h, k_w)``.
        b: Bias of shape ``(c_out,)`` or None.
        stride: Stride ``s`` or ``(s_y, s_x)``.
        pad: Padding ``p`` or ``(p_h, p_w)``.
        outsize: ``(h_out, w_out)`` or None for the smallest consistent size.
        **kwargs: ``dilate`` (default 1) and ``groups`` (default 1).

    Returns:
        Output of shape ``(n, c_out, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes, dtypes or ``outsize`` are inconsistent.
        TypeError: An unknown keyword argument.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 3, 4, 4), numpy.float32)
        >>> deconvolution_2d(x, numpy.ones((3, 2, 3, 3), numpy.float32), stride=2).shape
        (1, 2, 9, 9)
    """
    dilate, groups = _parse_kwargs("deconvolution_2d", kwargs)
    node = DeconvolutionND(2, stride, pad, outsize, dilate, groups,
                           label="Deconvolution2DFunction")
    args = (x, W) if b is None else (x, W, b)
    return node.apply(args)[0]
