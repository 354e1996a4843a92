"""Locally connected 2-d layer: a convolution with its own filter at every output pixel."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.connection import _conv_util as cu
from kusari.utils import type_check


def _pair(v: Any) -> tuple:
    return tuple(v) if hasattr(v, "__getitem__") else (v, v)


class LocalConvolution2DFunction(FunctionNode):
    """``y[n, o, u, v] = sum W[o, u, v, c, k, l] x[n, c, u s_y + k, v s_x + l] + b[o, u, v]``.

    Forward is one batched matrix product (one small GEMM per output pixel) over a window
    view of ``x``; the gradients are einsums and a col2im, so it is differentiable again.
    """

    def __init__(self, stride: Any = 1) -> None:
        self.sy, self.sx = _pair(stride)

    def check_type_forward(self, in_types: Any) -> None:
        n_in = in_types.size()
        type_check.expect(2 <= n_in, n_in <= 3)
        type_check.argname(in_types, ("x", "W", "b")[:type_check.eval(n_in)])
        x_type, w_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == "f",
            w_type.dtype.kind == "f",
            x_type.ndim == 4,
            w_type.ndim == 6,
            x_type.shape[1] == w_type.shape[3],
        )
        if type_check.eval(n_in) == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 3,
                b_type.shape == w_type.shape[:3],
            )

    def _geometry(self, x: Any, W: Any) -> tuple:
        oh = cu.conv_outsize(x.shape[2], W.shape[4], self.sy, 0)
        ow = cu.conv_outsize(x.shape[3], W.shape[5], self.sx, 0)
        if (oh, ow) != tuple(W.shape[1:3]):
            raise ValueError(
                f"local_convolution_2d: the filters W are laid out for a {W.shape[1]}x"
                f"{W.shape[2]} output, but x gives {oh}x{ow} with stride "
                f"{(self.sy, self.sx)}")
        return oh, ow

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        xp = get_array_module(x)
        n, c = x.shape[:2]
        o, oh, ow, _, kh, kw = W.shape
        self._geometry(x, W)
        col = cu.im2col(x, (kh, kw), (self.sy, self.sx), (0, 0), (1, 1), (oh, ow))
        # (oh*ow, n, c*kh*kw) @ (oh*ow, c*kh*kw, o) -> (oh*ow, n, o)
        col = col.transpose(4, 5, 0, 1, 2, 3).reshape(oh * ow, n, c * kh * kw)
        Wm = W.reshape(o, oh * ow, c * kh * kw).transpose(1, 2, 0)
        y = xp.matmul(col, Wm.astype(x.dtype, copy=False))
        y = y.transpose(1, 2, 0).reshape(n, o, oh, ow)
        if len(inputs) == 3:
            y = y + inputs[2]
        return xp.ascontiguousarray(y),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.im2col import Col2Im, Im2Col
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.einsum import einsum
        from kusari.functions.math.sum import sum as f_sum

        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        o, oh, ow, c, kh, kw = W.shape
        im2col = Im2Col((kh, kw), (self.sy, self.sx), 0, False, 1)
        ret = []
        for i in indexes:
            if i == 0:
                im2col.apply((x,))  # records x's shape for the col2im below
                Wr = reshape(W, (o, oh, ow, c * kh * kw))
                gcol = einsum("nouv,ouvq->nquv", gy, Wr)
                ret.append(Col2Im(im2col).apply((gcol,))[0])
            elif i == 1:
                col = Im2Col((kh, kw), (self.sy, self.sx), 0, False, 1).apply((x,))[0]
                gW = einsum("nquv,nouv->ouvq", col, gy)
                ret.append(reshape(gW, W.shape))
            else:
                ret.append(f_sum(gy, axis=0))
        return tuple(ret)


def local_convolution_2d(x: Any, W: Any, b: Any = None,
                         stride: int | tuple = 1) -> variable.Variable:
    """Two-dimensional local convolution: unshared filters, one per output pixel.

    :math:`y_{n,o,u,v} = \\sum_{c,k,l} W_{o,u,v,c,k,l}\\, x_{n,c,u s_y + k, v s_x + l}
    + b_{o,u,v}`, without padding, so :math:`h_O = (h - k_H) / s_y + 1` (likewise
    :math:`w_O`).

    Args:
        x: Input of shape ``(n, c_I, h, w)``.
        W: Filters of shape ``(c_O, h_O, w_O, c_I, k_H, k_W)``.
        b: Bias of shape ``(c_O, h_O, w_O)`` or None.
        stride: Stride ``s`` or ``(s_y, s_x)``.

    Returns:
        Output of shape ``(n, c_O, h_O, w_O)``.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.
        ValueError: ``W``'s output grid does not fit ``x`` and ``stride``.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 2, 4, 4), numpy.float32)
        >>> W = numpy.ones((3, 2, 2, 2, 3, 3), numpy.float32)
        >>> local_convolution_2d(x, W).array[0, :, 0, 0].tolist()
        [18.0, 18.0, 18.0]
    """
    node = LocalConvolution2DFunction(stride)
    args = (x, W) if b is None else (x, W, b)
    return node.apply(args)[0]
