"""Extract sliding image patches into channels (the im2col of convolution)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _pair(v: Any) -> tuple:
    return (v, v) if isinstance(v, int) else tuple(v)


def _outsize(size: int, k: int, s: int, p: int, cover_all: bool, d: int) -> int:
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return (size + p * 2 - dk + s - 1) // s + 1
    return (size + p * 2 - dk) // s + 1


class Im2Col(FunctionNode):
    """Patches ``(B, C * kh * kw, out_h, out_w)``; the gradient adds them back (col2im)."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, ksize: Any, stride: Any, pad: Any, cover_all: bool, dilate: Any) -> None:
        self.kh, self.kw = _pair(ksize)
        self.sy, self.sx = _pair(stride)
        self.ph, self.pw = _pair(pad)
        self.dy, self.dx = _pair(dilate)
        self.cover_all = cover_all

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].ndim == 4)

    def _geometry(self, h: int, w: int) -> tuple:
        oh = _outsize(h, self.kh, self.sy, self.ph, self.cover_all, self.dy)
        ow = _outsize(w, self.kw, self.sx, self.pw, self.cover_all, self.dx)
        return oh, ow

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        if x.ndim != 4:
            self._check_data_type_forward(inputs)
        xp = get_array_module(x)
        b, c, h, w = x.shape
        self._in_shape = x.shape
        oh, ow = self._geometry(h, w)
        # pad enough on the bottom/right for every window (cover_all may need more)
        eh = max(self.sy * (oh - 1) + (self.kh - 1) * self.dy + 1 - h - self.ph, self.ph)
        ew = max(self.sx * (ow - 1) + (self.kw - 1) * self.dx + 1 - w - self.pw, self.pw)
        xp_ = xp.pad(x, ((0, 0), (0, 0), (self.ph, eh), (self.pw, ew)))
        cols = xp.empty((b, c, self.kh, self.kw, oh, ow), x.dtype)
        for i in range(self.kh):
            y0 = i * self.dy
            for j in range(self.kw):
                x0 = j * self.dx
                cols[:, :, i, j] = xp_[:, :, y0:y0 + self.sy * oh:self.sy,
                                       x0:x0 + self.sx * ow:self.sx]
        return cols.reshape(b, c * self.kh * self.kw, oh, ow),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Col2Im(self).apply(grad_outputs)


class Col2Im(FunctionNode):
    """Add each patch back to the pixels it was read from; its gradient is im2col."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, fwd: Im2Col) -> None:
        self._f = fwd

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        f = self._f
        xp = get_array_module(gy)
        b, c, h, w = f._in_shape
        oh, ow = gy.shape[2:]
        cols = gy.reshape(b, c, f.kh, f.kw, oh, ow)
        hp = max(h + 2 * f.ph, f.sy * (oh - 1) + (f.kh - 1) * f.dy + 1 + f.ph)
        wp = max(w + 2 * f.pw, f.sx * (ow - 1) + (f.kw - 1) * f.dx + 1 + f.pw)
        gx = xp.zeros((b, c, hp, wp), gy.dtype)
        for i in range(f.kh):
            y0 = i * f.dy
            for j in range(f.kw):
                x0 = j * f.dx
                gx[:, :, y0:y0 + f.sy * oh:f.sy, x0:x0 + f.sx * ow:f.sx] += cols[:, :, i, j]
        return gx[:, :, f.ph:f.ph + h, f.pw:f.pw + w].copy(),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        f = self._f
        return Im2Col((f.kh, f.kw), (f.sy, f.sx), (f.ph, f.pw), f.cover_all,
                      (f.dy, f.dx)).apply(grad_outputs)


def im2col(x: Any, ksize: int | tuple, stride: int | tuple = 1, pad: int | tuple = 0,
           cover_all: bool = False, dilate: int | tuple = 1) -> variable.Variable:
    """Extract the convolution patches of ``x`` into channels.

    Output channel ``(c * kh + i) * kw + j`` at ``(y, x)`` is input channel ``c`` at
    ``(y * sy - ph + i * dy, x * sx - pw + j * dx)`` (zero outside the image).

    Args:
        x: Variable or array of shape ``(B, C, H, W)``.
        ksize: Window size ``k`` or ``(kh, kw)``.
        stride: Stride ``s`` or ``(sy, sx)``.
        pad: Zero padding ``p`` or ``(ph, pw)``.
        cover_all: Add windows so that every pixel is covered (as in pooling).
        dilate: Dilation ``d`` or ``(dy, dx)``.

    Returns:
        A Variable of shape ``(B, C * kh * kw, out_h, out_w)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not 4-dimensional.

    Example:
        >>> import numpy
        >>> im2col(numpy.zeros((1, 2, 4, 4), numpy.float32), 3, pad=1).shape
        (1, 18, 4, 4)
    """
    return Im2Col(ksize, stride, pad, cover_all, dilate).apply((x,))[0]
