"""Shift: each group of channels is moved by one offset of a ``kh x kw`` grid (zero fill)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


def _pair(v: Any) -> tuple:
    return tuple(v) if hasattr(v, "__getitem__") else (v, v)


def _offsets(kh: int, kw: int) -> list:
    """The ``(dy, dx)`` grid offset of each channel group, in group order.

    Groups go in raster order over the grid, except that the centre (no shift) and the
    last offset trade places, so the unshifted channels are the last group.
    """
    n = kh * kw
    centre = (n - 1) // 2
    out = []
    for i in range(n):
        g = n - 1 if i == centre else centre if i == n - 1 else i
        out.append((g // kw - kh // 2, g % kw - kw // 2))
    return out


class Shift(FunctionNode):
    """Shift channel groups spatially; the gradient is the opposite shift."""

    def __init__(self, ksize: Any = 3, dilate: Any = 1) -> None:
        self.kh, self.kw = _pair(ksize)
        if self.kh % 2 != 1:
            raise ValueError("kh must be odd")
        if self.kw % 2 != 1:
            raise ValueError("kw must be odd")
        self.dy, self.dx = _pair(dilate)

    def _fast_check(self, in_data: tuple) -> bool:
        x = in_data[0]
        return x.dtype.kind == "f" and x.ndim == 4 and x.shape[1] >= self.kh * self.kw

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x_type = in_types[0]
        type_check.expect(
            x_type.dtype.kind == "f",
            x_type.ndim == 4,
            x_type.shape[1] >= self.kh * self.kw,
        )

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        xp = get_array_module(x)
        _, c, h, w = x.shape
        n = self.kh * self.kw
        size = c // n
        y = xp.zeros_like(x)
        for i, (ky, kx) in enumerate(_offsets(self.kh, self.kw)):
            cs = slice(i * size, (i + 1) * size if i < n - 1 else c)
            # y[.., r, s] = x[.., r - ky * dy, s - kx * dx] where that exists
            oy, ox = ky * self.dy, kx * self.dx
            ys = slice(max(oy, 0), h + min(oy, 0))
            xs = slice(max(ox, 0), w + min(ox, 0))
            ys_src = slice(max(-oy, 0), h + min(-oy, 0))
            xs_src = slice(max(-ox, 0), w + min(-ox, 0))
            y[:, cs, ys, xs] = x[:, cs, ys_src, xs_src]
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Shift((self.kh, self.kw), (-self.dy, -self.dx)).apply(grad_outputs)


def shift(x: Any, ksize: int | tuple = 3, dilate: int | tuple = 1) -> variable.Variable:
    """Shift operation: groups of channels moved to the offsets of a ``kh x kw`` grid.

    The channels are split into ``kh * kw`` groups (the last takes the remainder); group
    ``g`` is shifted by ``(k_y d_y, k_x d_x)``, its grid offset times the dilation:
    :math:`y_{n,c,i,j} = x_{n,c,i - k_y d_y, j - k_x d_x}` (zero outside the image). The
    unshifted (centre) group is the last one.

    Args:
        x: Input of shape ``(n, c, h, w)`` with ``c >= kh * kw``.
        ksize: Odd grid size ``k`` or ``(kh, kw)``.
        dilate: Dilation ``d`` or ``(dy, dx)``.

    Returns:
        Output of the shape of ``x``.

    Raises:
        ValueError: A grid size is even.
        kusari.utils.type_check.InvalidType: ``x`` is not a float 4-d array with at
            least ``kh * kw`` channels.

    Example:
        >>> import numpy
        >>> x = numpy.arange(9 * 9, dtype=numpy.float32).reshape(1, 9, 3, 3)
        >>> shift(x).array[0, 0].tolist()  # the first group moves up and left
        [[4.0, 5.0, 0.0], [7.0, 8.0, 0.0], [0.0, 0.0, 0.0]]
    """
    return Shift(ksize, dilate).apply((x,))[0]
