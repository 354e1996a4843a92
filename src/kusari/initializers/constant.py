"""Constant-valued initializers: Constant, Zero, One, NaN and Identity."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer


class _Constant(Initializer):
    fill_value: Any = None

    def __init__(self, dtype: Any = None) -> None:
        from kusari import backend

        if not (isinstance(self.fill_value, backend.get_array_types())
                or numpy.isscalar(self.fill_value)):
            raise ValueError("fill_value must be either scalar, numpy.ndarray, cupy.ndarray "
                             "or chainerx.ndarray.")
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        from kusari import backend

        self._check(array)
        value = self.fill_value
        if isinstance(value, backend.get_array_types()):
            # broadcasting is allowed, as in Chainer
            backend.copyto(array, value.astype(array.dtype, copy=False))
        elif isinstance(array, numpy.ndarray):
            array[...] = value
        else:
            array.fill(value)


class Constant(_Constant):
    """Fill with a scalar or an array (broadcast to the array's shape).

    Args:
        fill_value: Scalar or array.
        dtype: Optional dtype.

    Raises:
        ValueError: ``fill_value`` is neither a scalar nor an array.

    Example:
        >>> import numpy
        >>> a = numpy.empty(2, numpy.float32); Constant(3)(a); a.tolist()
        [3.0, 3.0]
    """

    def __init__(self, fill_value: Any, dtype: Any = None) -> None:
        self.fill_value = fill_value
        super().__init__(dtype)


class Zero(_Constant):
    """Fill with zeros."""

    fill_value = 0.0


class One(_Constant):
    """Fill with ones."""

    fill_value = 1.0


class NaN(_Constant):
    """Fill with NaN (marks a parameter that must be set before use)."""

    fill_value = numpy.nan


class Identity(Initializer):
    """Fill a square matrix with ``scale`` times the identity.

    Args:
        scale: The diagonal value.
        dtype: Optional dtype.

    Raises:
        ValueError: The array is not a square matrix.

    Example:
        >>> import numpy
        >>> a = numpy.empty((2, 2)); Identity(2.0)(a); a.tolist()
        [[2.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        shape = array.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValueError("Identity matrix initialization can only be used for 2D squared "
                             "matrices.")
        array[...] = 0
        array.reshape(-1)[:: shape[0] + 1] = self.scale
