"""Constant-valued initializers."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer


class Constant(Initializer):
    """Fill with a scalar or an array (broadcast to the shape).

    Args:
        fill_value: Scalar or array.
        dtype: Optional dtype.

    Example:
        >>> import numpy
        >>> a = numpy.empty(2, numpy.float32); Constant(3)(a); a.tolist()
        [3.0, 3.0]
    """

    def __init__(self, fill_value: Any, dtype: Any = None) -> None:
        if dtype is None and hasattr(fill_value, "dtype") and not numpy.isscalar(fill_value):
            dtype = None
        self.fill_value = fill_value
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        value = self.fill_value
        if hasattr(value, "shape") and not isinstance(value, numpy.ndarray):
            if not isinstance(array, type(value)):
                value = value.get()  # a CuPy array into a NumPy one
        elif isinstance(value, numpy.ndarray) and not isinstance(array, numpy.ndarray):
            import cupy

            value = cupy.asarray(value)
        if hasattr(value, "shape") and value.shape != array.shape:
            if value.size != array.size or value.ndim == array.ndim:
                try:
                    numpy.broadcast_shapes(value.shape, array.shape)
                except ValueError:
                    raise ValueError(
                        f"Constant: the initial value of shape {value.shape} does not match "
                        f"the parameter shape {array.shape}"
                    ) from None
        array[...] = value


class Zero(Constant):
    """Fill with zeros."""

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(0.0, dtype)


class One(Constant):
    """Fill with ones."""

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(1.0, dtype)


class NaN(Constant):
    """Fill with NaN (marks a parameter that must be set before use)."""

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(numpy.nan, dtype)


class Identity(Initializer):
    """Fill a square matrix with ``scale`` times the identity.

    Args:
        scale: The diagonal value.
        dtype: Optional dtype.

    Raises:
        ValueError: The array is not a square matrix.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        shape = array.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValueError(f"Identity: the array must be a square matrix, got shape {shape}")
        array[...] = 0
        n = shape[0]
        array.reshape(-1)[:: n + 1] = self.scale
