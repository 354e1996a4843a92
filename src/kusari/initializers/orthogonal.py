"""Orthogonal initializer."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer


class Orthogonal(Initializer):
    """Fill with a (scaled) random orthogonal matrix, flattening trailing axes.

    Args:
        scale: Multiplier (Chainer's default is 1.1).
        dtype: Optional dtype.

    Raises:
        ValueError: The array has fewer than two dimensions.

    Example:
        >>> import numpy
        >>> a = numpy.empty((3, 3)); Orthogonal(1.0)(a)
        >>> numpy.allclose(a @ a.T, numpy.eye(3))
        True
    """

    def __init__(self, scale: float = 1.1, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        if array.ndim < 2:
            raise ValueError(f"Orthogonal: the array must have ndim >= 2, got {array.ndim}")
        rows = array.shape[0]
        cols = int(numpy.prod(array.shape[1:]))
        flat = numpy.random.normal(size=(rows, cols))
        transpose = rows > cols
        if transpose:
            flat = flat.T
        u, _, vh = numpy.linalg.svd(flat, full_matrices=False)
        q = vh if u.shape == flat.shape else u
        if transpose:
            q = q.T
        values = (self.scale * q).reshape(array.shape)
        if isinstance(array, numpy.ndarray):
            array[...] = values
        else:
            array[...] = __import__("cupy").asarray(values, dtype=array.dtype)
