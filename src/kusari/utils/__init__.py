"""Small array utilities shared across kusari, with Chainer's names."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.utils import type_check  # noqa: F401
from kusari.utils.sparse import CooMatrix, get_order, to_coo  # noqa: F401


def force_array(x: Any, dtype: Any = None) -> Any:
    """Turn a 0-d result (a NumPy scalar) back into an array.

    A NumPy ufunc applied to a 0-d array returns a scalar; functions must return arrays.

    Args:
        x: An array or a NumPy scalar.
        dtype: Optional dtype to cast to.

    Returns:
        An ndarray.

    Example:
        >>> import numpy
        >>> force_array(numpy.float32(1)).shape
        ()
    """
    if type(x) is not numpy.ndarray and (numpy.isscalar(x) or isinstance(x, numpy.generic)):
        return numpy.asarray(x, dtype=dtype)
    if dtype is not None and x.dtype != dtype:
        return x.astype(dtype, copy=False)
    return x


def force_type(dtype: Any, value: Any) -> Any:
    """Cast a scalar or array to ``dtype`` unless it already has it."""
    if numpy.isscalar(value):
        return numpy.dtype(dtype).type(value)
    if value.dtype != dtype:
        return value.astype(dtype, copy=False)
    return value


def size_of_shape(shape: tuple) -> int:
    """The number of elements of an array of this shape."""
    size = 1
    for s in shape:
        size *= s
    return int(size)


def sum_to(x: Any, shape: tuple) -> Any:
    """Sum ``x`` over broadcast axes so that it has ``shape`` (un-broadcasting).

    Example:
        >>> import numpy
        >>> sum_to(numpy.ones((2, 3)), (3,)).tolist()
        [2.0, 2.0, 2.0]
    """
    if x.shape == shape:
        return x
    ndim = len(shape)
    lead = x.ndim - ndim
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and x.shape[i + lead] != 1
    )
    y = x.sum(axes, keepdims=True)
    if lead > 0:
        y = y.reshape(y.shape[lead:])
    return y


class WalkerAlias:
    """Draw integers from a fixed discrete distribution in O(1) per sample.

    Args:
        probs: Non-negative weights (normalized internally).

    Example:
        >>> s = WalkerAlias([0.5, 0.5])
        >>> s.sample((3,)).shape
        (3,)
    """

    def __init__(self, probs: Any) -> None:
        prob = numpy.asarray(probs, numpy.float64)
        prob = prob / prob.sum()
        n = len(prob)
        threshold = numpy.ones(n, numpy.float64)
        values = numpy.zeros(n, numpy.int32)
        scaled = prob * n
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        while small and large:
            s, g = small.pop(), large.pop()
            threshold[s] = scaled[s]
            values[s] = g
            scaled[g] = scaled[g] + scaled[s] - 1.0
            (small if scaled[g] < 1.0 else large).append(g)
        for i in small + large:
            threshold[i] = 1.0
            values[i] = i
        self.threshold = threshold
        self.values = values
        self._xp = numpy

    def to_gpu(self) -> None:
        from kusari.backends import cuda

        self.threshold = cuda.to_gpu(self.threshold)
        self.values = cuda.to_gpu(self.values)
        self._xp = cuda.cupy

    def to_cpu(self) -> None:
        from kusari.backends import cuda

        self.threshold = cuda.to_cpu(self.threshold)
        self.values = cuda.to_cpu(self.values)
        self._xp = numpy

    def to_device(self, device: Any) -> None:
        """Move the tables to a :class:`~kusari.backend.Device` (CPU or GPU)."""
        if device.xp is numpy:
            self.to_cpu()
        else:
            self.to_gpu()

    def sample(self, shape: tuple) -> Any:
        """Integers of the given shape drawn from the distribution."""
        xp = self._xp
        ps = xp.random.uniform(0, 1, shape)
        pb = ps * len(self.threshold)
        index = pb.astype(numpy.int32)
        left_right = (self.threshold[index] < pb - index).astype(numpy.int32)
        return self.values[index] * left_right + index * (1 - left_right)
