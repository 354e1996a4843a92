"""N-dimensional deconvolution (transposed convolution): the gradient of a convolution."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.connection import _conv_util as cu
from kusari.functions.connection.convolution_nd import (
    ConvolutionND,
    ConvolutionNDGradW,
    _cast,
    _check_ndim,
)
from kusari.utils import type_check

_new = variable.Variable._new


class DeconvolutionND(FunctionNode):
    """``y = deconv(x, W) + b``: one matrix product, then the columns added back into place.

    ``W`` has shape ``(c_in, c_out / groups, *ksize)``. Its gradient for ``x`` is a
    convolution with the same ``W``.
    """

    def __init__(self, ndim: int, stride: Any = 1, pad: Any = 0, outsize: Any = None,
                 dilate: Any = 1, groups: int = 1, label: str = "DeconvolutionND") -> None:
        fname = "deconvolution_nd"
        self.ndim = ndim
        self.stride = cu.as_tuple(stride, ndim, "stride", fname)
        self.pad = cu.as_tuple(pad, ndim, "pad", fname)
        self.dilate = cu.as_tuple(dilate, ndim, "dilate", fname)
        self.outsize = None if outsize is None else cu.as_tuple(outsize, ndim, "outsize", fname)
        self.groups = int(groups)
        self._label = label
        if any(s <= 0 for s in self.stride):
            raise ValueError(f"{fname}: stride must be positive, got {stride}")
        if any(d <= 0 for d in self.dilate):
            raise ValueError(f"{fname}: dilate must be positive, got {dilate}")
        if self.groups <= 0:
            raise ValueError(f"{fname}: groups must be positive, got {groups}")

    @property
    def label(self) -> str:
        return self._label

    def _fast_check(self, in_data: tuple) -> bool:
        if self.outsize is not None:
            return False
        x, W = in_data[0], in_data[1]
        nd = self.ndim + 2
        return (
            x.dtype.kind == "f" and W.dtype == x.dtype and x.ndim == nd and W.ndim == nd
            and x.shape[1] == W.shape[0] and W.shape[0] % self.groups == 0
            and (len(in_data) == 2 or (in_data[2].dtype == x.dtype and in_data[2].shape
                                       == (W.shape[1] * self.groups,)))
        )

    def check_type_forward(self, in_types: Any) -> None:
        n_in = type_check.eval(in_types.size())
        type_check.expect(2 <= in_types.size(), in_types.size() <= 3)
        type_check.argname(in_types, ("x", "W", "b")[:n_in])
        x_type, w_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == "f",
            w_type.dtype.kind == "f",
            x_type.ndim == self.ndim + 2,
            w_type.ndim == self.ndim + 2,
            x_type.shape[1] == w_type.shape[0],
            w_type.shape[0] % self.groups == 0,
        )
        if self.outsize is not None:
            for i in range(self.ndim):
                k = type_check.eval(w_type.shape[2 + i])
                lo = cu.conv_outsize(self.outsize[i], k, self.stride[i], self.pad[i],
                                     False, self.dilate[i])
                hi = cu.conv_outsize(self.outsize[i], k, self.stride[i], self.pad[i],
                                     True, self.dilate[i])
                type_check.expect(lo <= x_type.shape[2 + i], x_type.shape[2 + i] <= hi)
        if n_in == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[1] * self.groups,
            )

    def _out(self, x: Any, W: Any) -> tuple:
        if self.outsize is not None:
            return self.outsize
        out = tuple(
            cu.deconv_outsize(x.shape[2 + i], W.shape[2 + i], self.stride[i], self.pad[i],
                              d=self.dilate[i])
            for i in range(self.ndim))
        if any(o <= 0 for o in out):
            raise AssertionError(f"{self.label}: the output size must be positive, got {out}")
        return out

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, W = inputs[0], inputs[1]
        y = cu.conv_grad_x(x, _cast(W, x.dtype), self.stride, self.pad, self.dilate,
                           self.groups, self._out(x, W))
        if len(inputs) == 3:
            b = inputs[2]
            y += b.reshape((1, b.shape[0]) + (1,) * self.ndim)
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        nd = self.ndim
        axes = (0,) + tuple(range(2, 2 + nd))
        if not _fast_check.backprop_enabled():
            x = self.inputs[0].data
            W = self.inputs[1].data
            g = gy._data
            ret = []
            for i in indexes:
                if i == 0:
                    gx = cu.conv_forward(g, _cast(W, g.dtype), self.stride, self.pad,
                                         self.dilate, self.groups, x.shape[2:])
                    ret.append(_new(_cast(gx, x.dtype), False))
                elif i == 1:
                    gW = cu.conv_grad_w(g, _cast(x, g.dtype), W.shape[2:], self.stride,
                                        self.pad, self.dilate, self.groups)
                    ret.append(_new(_cast(gW, W.dtype), False))
                else:
                    ret.append(_new(cu.channel_sum(g), False))
            return tuple(ret)
        from kusari.functions.math.sum import sum as f_sum

        x, W = self.get_retained_inputs()
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(ConvolutionND(nd, self.stride, self.pad, False, self.dilate,
                                         self.groups, outsize=x.shape[2:]).apply((gy, W))[0])
            elif i == 1:
                ret.append(ConvolutionNDGradW(W.shape[2:], self.stride, self.pad, self.dilate,
                                              self.groups, W.dtype).apply((gy, x))[0])
            else:
                ret.append(f_sum(gy, axis=axes))
        return tuple(ret)


def deconvolution_nd(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                     outsize: Any = None, dilate: Any = 1,
                     groups: int = 1) -> variable.Variable:
    """N-dimensional deconvolution (transposed convolution).

    The output is the gradient of :func:`~kusari.functions.convolution_nd` with respect to
    its input: each input element scatters ``x[n, i, p] * W[i, o, k]`` to position
    ``p * stride + k * dilate - pad``. Without ``outsize`` the output length is
    ``stride * (in - 1) + (k - 1) * dilate + 1 - 2 * pad``.

    Args:
        x: Input of shape ``(n, c_in, d_1, ..., d_N)``.
        W: Filter of shape ``(c_in, c_out / groups, k_1, ..., k_N)``.
        b: Bias of shape ``(c_out,)`` or None.
        stride: Stride (int or N-tuple).
        pad: Padding removed from both sides (int or N-tuple).
        outsize: Output spatial shape, or None for the smallest.
        dilate: Dilation factor of the filter.
        groups: Number of groups of channels.

    Returns:
        Output of shape ``(n, c_out, *outsize)``.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match, or ``outsize``
            is inconsistent with the input.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 2, 3), numpy.float32)
        >>> deconvolution_nd(x, numpy.ones((2, 4, 3), numpy.float32), stride=2).shape
        (1, 4, 7)
    """
    ndim = len(x.shape) - 2
    node = DeconvolutionND(ndim, stride, pad, outsize, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return node.apply(args)[0]


def deconvolution_1d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                     outsize: Any = None, dilate: Any = 1,
                     groups: int = 1) -> variable.Variable:
    """1-dimensional deconvolution: :func:`deconvolution_nd` for inputs ``(n, c, l)``.

    Raises:
        ValueError: ``x`` does not have one spatial axis.

    Example:
        >>> import numpy
        >>> deconvolution_1d(numpy.ones((1, 1, 2), 'f'), numpy.ones((1, 1, 2), 'f')).array
        array([[[1., 2., 1.]]], dtype=float32)
    """
    _check_ndim(x, 1)
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)


def deconvolution_3d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                     outsize: Any = None, dilate: Any = 1,
                     groups: int = 1) -> variable.Variable:
    """3-dimensional deconvolution: :func:`deconvolution_nd` for inputs ``(n, c, d, h, w)``.

    Raises:
        ValueError: ``x`` does not have three spatial axes.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 1, 2, 2, 2), 'f')
        >>> deconvolution_3d(x, numpy.ones((1, 3, 2, 2, 2), 'f')).shape
        (1, 3, 3, 3, 3)
    """
    _check_ndim(x, 3)
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)
