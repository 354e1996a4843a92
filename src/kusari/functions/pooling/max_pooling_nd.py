"""Max pooling over N spatial axes."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation.relu import ReLU
from kusari.functions.pooling import _pooling_util as pu
from kusari.utils import type_check

_new = variable.Variable._new


class MaxPoolingND(FunctionNode):
    """Window maxima; remembers the in-window index of each maximum for backward."""

    def __init__(self, ndim: int, ksize: Any, stride: Any = None, pad: Any = 0,
                 cover_all: bool = True, return_indices: bool = False,
                 label: str = "MaxPoolingND") -> None:
        self.ndim = ndim
        self.ksize, self.stride, self.pad = pu.parse(ndim, ksize, stride, pad,
                                                     label.lower())
        self.cover_all = cover_all
        self.return_indices = return_indices
        self._label = label
        self.need_indexes = True
        self.indexes: Any = None
        # the ReLU node that computed x, when there is one: backward then masks the small
        # gy with ``y > 0`` and the ReLU skips its full-size mask (see ``relu.py``)
        self.after_relu: Any = None

    @property
    def label(self) -> str:
        return self._label

    def _fast_check(self, in_data: tuple) -> bool:
        x = in_data[0]
        return x.dtype.kind == "f" and x.ndim == self.ndim + 2

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ("x",))
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == "f", x_type.ndim == self.ndim + 2)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self.insize = x.shape[2:]
        out = pu.outsize(self.insize, self.ksize, self.stride, self.pad, self.cover_all)
        y, self.indexes = pu.max_forward(x, self.ksize, self.stride, self.pad, out,
                                         self.need_indexes or self.return_indices)
        if self.after_relu is not None:
            self.retain_outputs((0,))
        if self.return_indices and self.indexes.dtype != numpy.int32:
            self.indexes = self.indexes.astype(numpy.int32)  # the public dtype
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            g = gy._data
            relu = self.after_relu
            if relu is not None:
                # every gradient lands on a window maximum, which is positive exactly where
                # the pooled output is: masking here makes the ReLU's own mask redundant
                g = g * (self._retained_output_data[0] > 0)
            gx = pu.max_scatter(g, self.indexes, self.ksize, self.stride, self.pad,
                                self.insize)
            v = _new(gx, False)
            if relu is not None:
                # the ReLU receives this very object unless other gradients are added to it
                relu._masked_grad = v
            return v,
        return MaxPoolingNDGrad(self.ksize, self.stride, self.pad, self.insize,
                                self.indexes).apply((gy,))


class MaxPoolingNDGrad(FunctionNode):
    """Scatter of ``gy`` to the argmax positions; its gradient is the matching gather."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, ksize: tuple, stride: tuple, pad: tuple, insize: tuple,
                 indexes: Any) -> None:
        self.ksize = ksize
        self.stride = stride
        self.pad = pad
        self.insize = tuple(insize)
        self.indexes = indexes

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        return pu.max_scatter(gy, self.indexes, self.ksize, self.stride, self.pad,
                              self.insize),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return MaxPoolingNDWithIndexes(self.ksize, self.stride, self.pad, self.insize,
                                       self.indexes).apply(grad_outputs)


class MaxPoolingNDWithIndexes(FunctionNode):
    """Gather of the elements at given in-window indexes; its gradient is the scatter."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, ksize: tuple, stride: tuple, pad: tuple, insize: tuple,
                 indexes: Any) -> None:
        self.ksize = ksize
        self.stride = stride
        self.pad = pad
        self.insize = tuple(insize)
        self.indexes = indexes

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        return pu.max_gather(x, self.indexes, self.ksize, self.stride, self.pad),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return MaxPoolingNDGrad(self.ksize, self.stride, self.pad, self.insize,
                                self.indexes).apply(grad_outputs)


def _max_pooling(ndim: int, label: str, x: Any, ksize: Any, stride: Any, pad: Any,
                 cover_all: bool, return_indices: bool) -> Any:
    node = MaxPoolingND(ndim, ksize, stride, pad, cover_all, return_indices, label)
    node.need_indexes = _fast_check.needs_grad(x)
    if node.need_indexes:
        creator = x._node.creator_node if x._node is not None else None
        if type(creator) is ReLU:
            node.after_relu = creator
    y, = node.apply((x,))
    if return_indices:
        return y, node.indexes
    return y


def max_pooling_nd(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """N-dimensional max pooling: the maximum of each (``-inf``-padded) window.

    The gradient flows only to the first maximum of each window.

    Args:
        x: Input of shape ``(n, c, d_1, ..., d_N)``.
        ksize: Window size (int or N-tuple).
        stride: Stride; None means ``ksize``.
        pad: Padding on both sides.
        cover_all: Pad the high side so that every element is in some window (the
            output length is then ``ceil((d + 2 p - k) / s) + 1``).
        return_indices: Also return the in-window flat indexes of the maxima
            (for :func:`~kusari.functions.upsampling_2d`).

    Returns:
        The output Variable, or ``(y, indexes)`` with ``return_indices``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
        >>> max_pooling_nd(x, 2).array
        array([[[[ 5.,  7.],
                 [13., 15.]]]], dtype=float32)
    """
    return _max_pooling(len(x.shape) - 2, "MaxPoolingND", x, ksize, stride, pad, cover_all,
                        return_indices)


def max_pooling_1d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """1-dimensional max pooling (see :func:`max_pooling_nd`).

    Raises:
        ValueError: ``x`` does not have one spatial axis.

    Example:
        >>> import numpy
        >>> max_pooling_1d(numpy.array([[[1., 3., 2., 0.]]], 'f'), 2).array
        array([[[3., 2.]]], dtype=float32)
    """
    pu.check_ndim(x, 1)
    return _max_pooling(1, "MaxPoolingND", x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_3d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """3-dimensional max pooling (see :func:`max_pooling_nd`).

    Raises:
        ValueError: ``x`` does not have three spatial axes.

    Example:
        >>> import numpy
        >>> max_pooling_3d(numpy.ones((1, 1, 4, 4, 4), 'f'), 2).shape
        (1, 1, 2, 2, 2)
    """
    pu.check_ndim(x, 3)
    return _max_pooling(3, "MaxPoolingND", x, ksize, stride, pad, cover_all, return_indices)
