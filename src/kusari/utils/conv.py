"""Convolution geometry and im2col/col2im, with the names of ``chainer.utils.conv``.

``im2col_cpu`` returns a read-only strided *view* ``(n, c, kh, kw, out_h, out_w)`` of the
padded image (no copy); ``col2im_cpu`` adds such columns back into an image.
"""

from __future__ import annotations

from typing import Any

from kusari.functions.connection import _conv_util as _cu


def get_conv_outsize(size: int, k: int, s: int, p: int, cover_all: bool = False,
                     d: int = 1) -> int:
    """The output length of a convolution along one axis.

    Example:
        >>> get_conv_outsize(5, 3, 2, 1), get_conv_outsize(6, 3, 2, 0, cover_all=True)
        (3, 3)
    """
    return _cu.conv_outsize(size, k, s, p, cover_all, d)


def get_deconv_outsize(size: int, k: int, s: int, p: int, cover_all: bool = False,
                       d: int = 1) -> int:
    """The output length of a deconvolution along one axis.

    Example:
        >>> get_deconv_outsize(3, 3, 2, 1)
        5
    """
    return _cu.deconv_outsize(size, k, s, p, cover_all, d)


def im2col_cpu(img: Any, kh: int, kw: int, sy: int, sx: int, ph: int, pw: int,
               pval: Any = 0, cover_all: bool = False, dy: int = 1, dx: int = 1,
               out_h: int | None = None, out_w: int | None = None) -> Any:
    """Windows of ``img`` ``(n, c, h, w)`` as ``(n, c, kh, kw, out_h, out_w)`` (a view).

    Example:
        >>> import numpy
        >>> im2col_cpu(numpy.zeros((1, 2, 5, 5)), 3, 3, 1, 1, 1, 1).shape
        (1, 2, 3, 3, 5, 5)
    """
    h, w = img.shape[2:]
    if out_h is None:
        out_h = get_conv_outsize(h, kh, sy, ph, cover_all, dy)
    if out_w is None:
        out_w = get_conv_outsize(w, kw, sx, pw, cover_all, dx)
    return _cu.im2col(img, (kh, kw), (sy, sx), (ph, pw), (dy, dx), (out_h, out_w), pval)


im2col_gpu = im2col_cpu


def col2im_cpu(col: Any, sy: int, sx: int, ph: int, pw: int, h: int, w: int, dy: int = 1,
               dx: int = 1) -> Any:
    """Add columns ``(n, c, kh, kw, out_h, out_w)`` back into an ``(n, c, h, w)`` image.

    Example:
        >>> import numpy
        >>> col = numpy.ones((1, 1, 2, 2, 2, 2))
        >>> col2im_cpu(col, 1, 1, 0, 0, 3, 3)[0, 0]
        array([[1., 2., 1.],
               [2., 4., 2.],
               [1., 2., 1.]])
    """
    return _cu.col2im(col, (sy, sx), (ph, pw), (h, w), (dy, dx))


col2im_gpu = col2im_cpu
