"""Unpooling: every input element is copied to each position of its window (overlaps add)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.connection import _conv_util as cu
from kusari.functions.pooling import _pooling_util as pu
from kusari.utils import type_check

_new = variable.Variable._new


class UnpoolingND(FunctionNode):
    """The adjoint of sum pooling: ``x`` spread over its windows, summed where they overlap."""

    def __init__(self, ndim: int, ksize: Any, stride: Any = None, pad: Any = 0,
                 outsize: Any = None, cover_all: bool = True,
                 label: str = "UnpoolingND") -> None:
        self.ndim = ndim
        self.ksize, self.stride, self.pad = pu.parse(ndim, ksize, stride, pad, label.lower())
        self.outsize = None if outsize is None else cu.as_tuple(outsize, ndim, "outsize",
                                                                 label.lower())
        self.cover_all = cover_all
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def _fast_check(self, in_data: tuple) -> bool:
        x = in_data[0]
        return x.dtype.kind == "f" and x.ndim == self.ndim + 2 and self.outsize is None

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ("x",))
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == "f", x_type.ndim == self.ndim + 2)
        if self.outsize is not None:
            for i in range(self.ndim):
                expected = cu.conv_outsize(self.outsize[i], self.ksize[i], self.stride[i],
                                           self.pad[i], self.cover_all)
                type_check.expect(x_type.shape[2 + i] == expected)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self.insize = x.shape[2:]
        if self.outsize is None:
            self.outsize = tuple(
                cu.deconv_outsize(x.shape[2 + i], self.ksize[i], self.stride[i], self.pad[i],
                                  self.cover_all) for i in range(self.ndim))
        return pu.sum_unpool(x, self.ksize, self.stride, self.pad, self.outsize),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            return _new(pu.sum_pool(gy._data, self.ksize, self.stride, self.pad,
                                    self.insize), False),
        return SumPoolingND(self).apply((gy,))


class SumPoolingND(FunctionNode):
    """The gradient of unpooling: the sum of each window (differentiable again)."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, unpool: UnpoolingND) -> None:
        self.unpool = unpool

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        u = self.unpool
        return pu.sum_pool(gy, u.ksize, u.stride, u.pad, u.insize),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        u = self.unpool
        node = UnpoolingND(u.ndim, u.ksize, u.stride, u.pad, u.outsize, u.cover_all, u.label)
        return node.apply(grad_outputs)


def unpooling_nd(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> variable.Variable:
    """N-dimensional unpooling: the inverse of pooling's window layout.

    Each input element is copied to every position of the window it would pool; where
    windows overlap the copies add up. Without ``outsize`` the output length is
    ``stride * (d - 1) + k - 2 * pad`` (``stride - 1`` less with ``cover_all``).

    Args:
        x: Input of shape ``(n, c, d_1, ..., d_N)``.
        ksize: Window size.
        stride: Stride; None means ``ksize``.
        pad: Padding.
        outsize: Output spatial shape, or None.
        cover_all: Whether the matching pooling used ``cover_all``.

    Returns:
        Output of shape ``(n, c, *outsize)``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtype or rank, or ``outsize``
            inconsistent with ``x``.

    Example:
        >>> import numpy
        >>> unpooling_nd(numpy.array([[[1., 2.]]], 'f'), 2, cover_all=False).array
        array([[[1., 1., 2., 2.]]], dtype=float32)
    """
    ndim = len(x.shape) - 2
    return UnpoolingND(ndim, ksize, stride, pad, outsize, cover_all).apply((x,))[0]


def unpooling_1d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> variable.Variable:
    """1-dimensional unpooling (see :func:`unpooling_nd`).

    Raises:
        ValueError: ``x`` does not have one spatial axis.

    Example:
        >>> import numpy
        >>> unpooling_1d(numpy.ones((1, 1, 2), 'f'), 2, cover_all=False).shape
        (1, 1, 4)
    """
    pu.check_ndim(x, 1)
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)


def unpooling_3d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> variable.Variable:
    """3-dimensional unpooling (see :func:`unpooling_nd`).

    Raises:
        ValueError: ``x`` does not have three spatial axes.

    Example:
        >>> import numpy
        >>> unpooling_3d(numpy.ones((1, 1, 2, 2, 2), 'f'), 2, cover_all=False).shape
        (1, 1, 4, 4, 4)
    """
    pu.check_ndim(x, 3)
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)
