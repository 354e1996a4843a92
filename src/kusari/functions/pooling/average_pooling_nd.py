"""Average pooling over N spatial axes."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.pooling import _pooling_util as pu
from kusari.utils import type_check

_new = variable.Variable._new


class AveragePoolingND(FunctionNode):
    """Window means; with ``pad_value=None`` padded elements are left out of the mean."""

    def __init__(self, ndim: int, ksize: Any, stride: Any = None, pad: Any = 0,
                 pad_value: Any = 0, label: str = "AveragePoolingND",
                 cover_all: bool = False) -> None:
        if pad_value is not None and pad_value != 0:
            raise ValueError(f"pad_value must be either 0 or None, not {pad_value}.")
        self.ndim = ndim
        self.ksize, self.stride, self.pad = pu.parse(ndim, ksize, stride, pad, label.lower())
        self.pad_value = pad_value
        self.cover_all = cover_all
        self._label = label

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

    def _scale(self, xp: Any, insize: tuple, out: tuple, dtype: Any) -> Any:
        if self.pad_value is None and any(self.pad):
            counts = pu.window_counts(xp, insize, self.ksize, self.stride, self.pad, out,
                                      dtype)
            return (1 / counts).astype(dtype)
        size = 1
        for k in self.ksize:
            size *= k
        return dtype.type(1.0 / size)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        xp = get_array_module(x)
        self.insize = x.shape[2:]
        out = pu.outsize(self.insize, self.ksize, self.stride, self.pad, self.cover_all)
        self.scale = self._scale(xp, self.insize, out, x.dtype)
        y = pu.sum_pool(x, self.ksize, self.stride, self.pad, out)
        y *= self.scale
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            g = gy._data * self.scale
            return _new(pu.sum_unpool(g, self.ksize, self.stride, self.pad, self.insize),
                        False),
        return AveragePoolingNDGrad(self).apply((gy,))


class AveragePoolingNDGrad(FunctionNode):
    """The adjoint of average pooling; its own gradient is average pooling again."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, fwd: AveragePoolingND) -> None:
        self.fwd = fwd

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        f = self.fwd
        return pu.sum_unpool(gy * f.scale, f.ksize, f.stride, f.pad, f.insize),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        f = self.fwd
        node = AveragePoolingND(f.ndim, f.ksize, f.stride, f.pad, f.pad_value, f.label,
                                f.cover_all)
        return node.apply(grad_outputs)


def average_pooling_nd(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                       pad_value: Any = 0) -> variable.Variable:
    """N-dimensional average pooling: the mean of each window.

    Args:
        x: Input of shape ``(n, c, d_1, ..., d_N)``.
        ksize: Window size (int or N-tuple).
        stride: Stride; None means ``ksize``.
        pad: Padding on both sides.
        pad_value: ``0`` counts padded elements as zeros in the mean (divisor
            ``prod(ksize)``); ``None`` leaves them out of the mean.

    Returns:
        Output of shape ``(n, c, l_1, ..., l_N)``.

    Raises:
        ValueError: ``pad_value`` is neither 0 nor None.
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 1, 3, 3), numpy.float32)
        >>> average_pooling_nd(x, 2, pad=1).array[0, 0, 0, 0].item()
        0.25
        >>> average_pooling_nd(x, 2, pad=1, pad_value=None).array[0, 0, 0, 0].item()
        1.0
    """
    ndim = len(x.shape) - 2
    return AveragePoolingND(ndim, ksize, stride, pad, pad_value).apply((x,))[0]


def average_pooling_1d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                       pad_value: Any = 0) -> variable.Variable:
    """1-dimensional average pooling (see :func:`average_pooling_nd`).

    Raises:
        ValueError: ``x`` does not have one spatial axis.

    Example:
        >>> import numpy
        >>> average_pooling_1d(numpy.array([[[1., 3., 2., 0.]]], 'f'), 2).array
        array([[[2., 1.]]], dtype=float32)
    """
    pu.check_ndim(x, 1)
    return average_pooling_nd(x, ksize, stride, pad, pad_value)


def average_pooling_3d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                       pad_value: Any = 0) -> variable.Variable:
    """3-dimensional average pooling (see :func:`average_pooling_nd`).

    Raises:
        ValueError: ``x`` does not have three spatial axes.

    Example:
        >>> import numpy
        >>> average_pooling_3d(numpy.ones((1, 1, 4, 4, 4), 'f'), 2).shape
        (1, 1, 2, 2, 2)
    """
    pu.check_ndim(x, 3)
    return average_pooling_nd(x, ksize, stride, pad, pad_value)
