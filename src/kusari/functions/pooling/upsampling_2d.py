"""Upsampling with the indexes of a max pooling."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.connection import _conv_util as cu
from kusari.functions.pooling import _pooling_util as pu
from kusari.functions.pooling.max_pooling_nd import MaxPoolingNDGrad
from kusari.utils import type_check


class Upsampling2D(MaxPoolingNDGrad):
    """Each input pixel goes to the in-window position recorded by max pooling."""

    def __init__(self, indexes: Any, ksize: Any, stride: Any, pad: Any, outsize: Any,
                 cover_all: bool) -> None:
        k, s, p = pu.parse(2, ksize, stride, pad, "upsampling_2d")
        self.outsize_arg = None if outsize is None else cu.as_tuple(outsize, 2, "outsize",
                                                                     "upsampling_2d")
        self.cover_all = cover_all
        super().__init__(k, s, p, (), indexes)

    def _fast_check(self, in_data: tuple) -> bool:
        return False

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ("x",))
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == "f", x_type.ndim == 4)
        shape = type_check.eval(x_type.shape)
        if tuple(shape) != tuple(self.indexes.shape):
            raise type_check.InvalidType(
                "x.shape == indexes.shape", f"{tuple(shape)} != {tuple(self.indexes.shape)}")
        if self.outsize_arg is not None:
            for i in range(2):
                expected = cu.conv_outsize(self.outsize_arg[i], self.ksize[i], self.stride[i],
                                           self.pad[i], self.cover_all)
                type_check.expect(x_type.shape[2 + i] == expected)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        if self.outsize_arg is None:
            self.insize = tuple(
                cu.deconv_outsize(x.shape[2 + i], self.ksize[i], self.stride[i], self.pad[i],
                                  self.cover_all) for i in range(2))
        else:
            self.insize = self.outsize_arg
        return super().forward(inputs)


def upsampling_2d(x: Any, indexes: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                  outsize: Any = None, cover_all: bool = True) -> variable.Variable:
    """Upsampling by the indexes of :func:`max_pooling_2d` (``return_indices=True``).

    Each input pixel is written at the position its window's maximum came from; every
    other output pixel is zero.

    Args:
        x: Input of shape ``(n, c, h, w)``.
        indexes: Flat in-window indexes, same shape as ``x``.
        ksize: Window size of the pooling.
        stride: Stride; None means ``ksize``.
        pad: Padding.
        outsize: ``(h_out, w_out)`` or None.
        cover_all: Whether the pooling used ``cover_all``.

    Returns:
        Output of shape ``(n, c, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtype are inconsistent.

    Example:
        >>> import numpy
        >>> from kusari.functions import max_pooling_2d
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> y, idx = max_pooling_2d(x, 2, return_indices=True)
        >>> upsampling_2d(y, idx, 2, outsize=(4, 4)).array[0, 0]
        array([[ 0.,  0.,  0.,  0.],
               [ 0.,  5.,  0.,  7.],
               [ 0.,  0.,  0.,  0.],
               [ 0., 13.,  0., 15.]], dtype=float32)
    """
    idx = getattr(indexes, "array", indexes)
    return Upsampling2D(idx, ksize, stride, pad, outsize, cover_all).apply((x,))[0]
