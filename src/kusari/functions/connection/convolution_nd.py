"""N-dimensional convolution: one matrix product on a strided window view per layer."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.connection import _conv_util as cu
from kusari.utils import type_check

_new = variable.Variable._new


def _cast(a: Any, dtype: Any) -> Any:
    return a if a.dtype == dtype else a.astype(dtype)


class ConvolutionND(FunctionNode):
    """``y = conv(x, W) + b`` over ``ndim`` spatial axes, as one fused node.

    Its gradient for ``x`` is a :class:`~kusari.functions.connection.deconvolution_nd.
    DeconvolutionND` and for ``W`` a :class:`ConvolutionNDGradW`, so it is differentiable
    to any order.
    """

    def __init__(self, ndim: int, stride: Any = 1, pad: Any = 0, cover_all: bool = False,
                 dilate: Any = 1, groups: int = 1, outsize: tuple | None = None,
                 label: str = "ConvolutionND") -> None:
        fname = "convolution_nd"
        self.ndim = ndim
        self.stride = cu.as_tuple(stride, ndim, "stride", fname)
        self.pad = cu.as_tuple(pad, ndim, "pad", fname)
        self.dilate = cu.as_tuple(dilate, ndim, "dilate", fname)
        self.cover_all = cover_all
        self.groups = int(groups)
        self.outsize = outsize
        self._label = label
        if any(s <= 0 for s in self.stride):
            raise ValueError(f"{fname}: stride must be positive, got {stride}")
        if any(d <= 0 for d in self.dilate):
            raise ValueError(f"{fname}: dilate must be positive, got {dilate}")
        if self.groups <= 0:
            raise ValueError(f"{fname}: groups must be positive, got {groups}")

    #: Set by the function wrappers when ``W``'s gradient will be needed: the forward's
    #: column matrix is then kept for it (see :class:`~kusari.functions.connection.
    #: _conv_util.ColumnCache`).
    keep_cols = False
    _cols: cu.ColumnCache | None = None

    @property
    def label(self) -> str:
        return self._label

    def _fast_check(self, in_data: tuple) -> bool:
        x, W = in_data[0], in_data[1]
        nd = self.ndim + 2
        return (
            x.dtype.kind == "f" and W.dtype == x.dtype and x.ndim == nd and W.ndim == nd
            and x.shape[1] == W.shape[1] * self.groups and W.shape[0] % self.groups == 0
            and (len(in_data) == 2 or (in_data[2].dtype == x.dtype
                                       and in_data[2].shape == W.shape[:1]))
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
            x_type.shape[1] == w_type.shape[1] * self.groups,
            w_type.shape[0] % self.groups == 0,
        )
        if n_in == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[0],
            )

    def _out(self, x: Any, W: Any) -> tuple:
        if self.outsize is not None:
            return tuple(self.outsize)
        out = tuple(
            cu.conv_outsize(x.shape[2 + i], W.shape[2 + i], self.stride[i], self.pad[i],
                            self.cover_all, self.dilate[i])
            for i in range(self.ndim))
        if any(o <= 0 for o in out):
            raise AssertionError(f"{self.label}: the output size must be positive, got {out}")
        return out

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, W = inputs[0], inputs[1]
        b = inputs[2] if len(inputs) == 3 else None
        if self.keep_cols and W.dtype == x.dtype:
            self._cols = cu.ColumnCache()
        return cu.conv_forward(x, _cast(W, x.dtype), self.stride, self.pad, self.dilate,
                               self.groups, self._out(x, W), b, self._cols),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        nd = self.ndim
        axes = (0,) + tuple(range(2, 2 + nd))
        if not _fast_check.backprop_enabled():
            x = self.inputs[0].data
            W = self.inputs[1].data
            g = gy._data
            cols = None if self._cols is None else self._cols.take()
            g2 = None
            if 0 in indexes and 1 in indexes and x.dtype == g.dtype:
                g2 = cu.gy_rows(g)  # shared by both large GEMMs
            ret = []
            for i in indexes:
                if i == 0:
                    gx = cu.conv_grad_x(g, _cast(W, g.dtype), self.stride, self.pad,
                                        self.dilate, self.groups, x.shape[2:], g2)
                    ret.append(_new(_cast(gx, x.dtype), False))
                elif i == 1:
                    gW = cu.conv_grad_w(x, _cast(g, x.dtype), W.shape[2:], self.stride,
                                        self.pad, self.dilate, self.groups, g2, cols)
                    ret.append(_new(_cast(gW, W.dtype), False))
                else:
                    ret.append(_new(cu.channel_sum(g), False))
            return tuple(ret)
        from kusari.functions.connection.deconvolution_nd import DeconvolutionND
        from kusari.functions.math.sum import sum as f_sum

        if self._cols is not None:
            self._cols.release()
        x, W = self.get_retained_inputs()
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(DeconvolutionND(nd, self.stride, self.pad, x.shape[2:], self.dilate,
                                           self.groups).apply((gy, W))[0])
            elif i == 1:
                ret.append(ConvolutionNDGradW(W.shape[2:], self.stride, self.pad, self.dilate,
                                              self.groups, W.dtype).apply((x, gy))[0])
            else:
                ret.append(f_sum(gy, axis=axes))
        return tuple(ret)


class ConvolutionNDGradW(FunctionNode):
    """The weight gradient of a convolution, ``gW = gy (*) x``, itself differentiable."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple, groups: int,
                 w_dtype: Any) -> None:
        self.ksize = tuple(ksize)
        self.stride = stride
        self.pad = pad
        self.dilate = dilate
        self.groups = groups
        self.w_dtype = w_dtype

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, gy = inputs
        gW = cu.conv_grad_w(x, _cast(gy, x.dtype), self.ksize, self.stride, self.pad,
                            self.dilate, self.groups)
        return _cast(gW, self.w_dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.connection.deconvolution_nd import DeconvolutionND

        x, gy = self.get_retained_inputs()
        ggW, = grad_outputs
        nd = len(self.ksize)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(DeconvolutionND(nd, self.stride, self.pad, x.shape[2:], self.dilate,
                                           self.groups).apply((gy, ggW))[0])
            else:
                ret.append(ConvolutionND(nd, self.stride, self.pad, False, self.dilate,
                                         self.groups, outsize=gy.shape[2:]).apply((x, ggW))[0])
        return tuple(ret)


def _check_ndim(x: Any, n: int) -> None:
    if len(x.shape) - 2 != n:
        raise ValueError(
            f"The number of dimensions under channel dimension of the input 'x' should be "
            f"{n}. But the actual ndim was {len(x.shape) - 2}.")


def convolution_nd(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                   cover_all: bool = False, dilate: Any = 1,
                   groups: int = 1) -> variable.Variable:
    """N-dimensional convolution.

    :math:`y_{n,o,\\mathbf{p}} = b_o + \\sum_{c,\\mathbf{k}} W_{o,c,\\mathbf{k}}
    x_{n,c,\\mathbf{p} s + \\mathbf{k} d - \\text{pad}}` with zero padding.

    Args:
        x: Input of shape ``(n, c_in, d_1, ..., d_N)``.
        W: Filter of shape ``(c_out, c_in / groups, k_1, ..., k_N)``.
        b: Bias of shape ``(c_out,)`` or None.
        stride: Stride (int or N-tuple).
        pad: Zero padding on both sides of each spatial axis (int or N-tuple).
        cover_all: Pad the high side so that every input element is covered.
        dilate: Dilation factor of the filter (int or N-tuple).
        groups: Number of groups of channels (grouped convolution).

    Returns:
        Output of shape ``(n, c_out, l_1, ..., l_N)``.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 2, 5), numpy.float32)
        >>> W = numpy.ones((3, 2, 3), numpy.float32)
        >>> convolution_nd(x, W, pad=1).shape
        (1, 3, 5)
    """
    ndim = len(x.shape) - 2
    node = ConvolutionND(ndim, stride, pad, cover_all, dilate, groups)
    node.keep_cols = _fast_check.needs_grad(W)
    args = (x, W) if b is None else (x, W, b)
    return node.apply(args)[0]


def convolution_1d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                   cover_all: bool = False, dilate: Any = 1,
                   groups: int = 1) -> variable.Variable:
    """1-dimensional convolution: :func:`convolution_nd` for inputs ``(n, c, l)``.

    Raises:
        ValueError: ``x`` does not have one spatial axis.

    Example:
        >>> import numpy
        >>> convolution_1d(numpy.ones((1, 1, 4), 'f'), numpy.ones((1, 1, 2), 'f')).array
        array([[[2., 2., 2.]]], dtype=float32)
    """
    _check_ndim(x, 1)
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_3d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,
                   cover_all: bool = False, dilate: Any = 1,
                   groups: int = 1) -> variable.Variable:
    """3-dimensional convolution: :func:`convolution_nd` for inputs ``(n, c, d, h, w)``.

    Raises:
        ValueError: ``x`` does not have three spatial axes.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 1, 3, 3, 3), 'f')
        >>> convolution_3d(x, numpy.ones((2, 1, 2, 2, 2), 'f')).shape
        (1, 2, 2, 2, 2)
    """
    _check_ndim(x, 3)
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)
