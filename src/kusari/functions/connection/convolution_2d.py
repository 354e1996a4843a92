"""Two-dimensional convolution."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions import _fast_check
from kusari.functions.connection.convolution_nd import ConvolutionND


def _parse_kwargs(fname: str, kwargs: dict) -> tuple:
    if "deterministic" in kwargs:
        raise ValueError(
            "deterministic argument is not supported anymore. Use "
            "chainer.using_config('cudnn_deterministic', value) context where value is "
            "either `True` or `False`.")
    dilate = kwargs.pop("dilate", 1)
    groups = kwargs.pop("groups", 1)
    if kwargs:
        names = ", ".join(repr(k) for k in kwargs)
        raise TypeError(f"{fname}() got unexpected keyword argument(s) {names}")
    return dilate, groups


def convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                   cover_all: bool = False, **kwargs: Any) -> variable.Variable:
    """Two-dimensional convolution.

    :math:`y_{n,o,i,j} = b_o + \\sum_{c,k,l} W_{o,c,k,l}\\,
    x_{n,c,i s_y + k d_y - p_h,\\, j s_x + l d_x - p_w}` with zero padding; the output
    height is ``(h + 2 p_h - ((k_h - 1) d_y + 1)) // s_y + 1`` (with ``cover_all``,
    ``s_y - 1`` more is padded on the high side).

    Args:
        x: Input of shape ``(n, c_in, h, w)``.
        W: Filter of shape ``(c_out, c_in / groups, k_h, k_w)``.
        b: Bias of shape ``(c_out,)`` or None.
        stride: Stride ``s`` or ``(s_y, s_x)``.
        pad: Padding ``p`` or ``(p_h, p_w)``.
        cover_all: Pad so that every input pixel is covered by some window.
        **kwargs: ``dilate`` (int or pair, default 1) and ``groups`` (default 1).

    Returns:
        Output of shape ``(n, c_out, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.
        TypeError: An unknown keyword argument.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 3, 5, 5), numpy.float32)
        >>> W = numpy.ones((2, 3, 3, 3), numpy.float32)
        >>> y = convolution_2d(x, W, pad=1)
        >>> y.shape, float(y.array[0, 0, 2, 2])
        ((1, 2, 5, 5), 27.0)
    """
    dilate, groups = _parse_kwargs("convolution_2d", kwargs)
    node = ConvolutionND(2, stride, pad, cover_all, dilate, groups,
                         label="Convolution2DFunction")
    node.keep_cols = _fast_check.needs_grad(W)
    args = (x, W) if b is None else (x, W, b)
    return node.apply(args)[0]
