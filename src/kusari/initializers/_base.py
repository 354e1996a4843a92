"""The initializer protocol, :func:`generate_array` and :func:`get_fans`."""

from __future__ import annotations

from typing import Any

import numpy


class Initializer:
    """Base of initializers: called on an array, fills it in place.

    Args:
        dtype: The dtype the initializer produces; None follows ``config.dtype``.
    """

    def __init__(self, dtype: Any = None) -> None:
        self.dtype = dtype

    def __call__(self, array: Any) -> None:
        raise NotImplementedError

    def _check(self, array: Any) -> None:
        # Chainer asserts; an AssertionError keeps scripts that catch it working
        if self.dtype is not None and array.dtype != numpy.dtype(self.dtype):
            raise AssertionError(f"{array.dtype} != {numpy.dtype(self.dtype)}")


def _fill(array: Any, values: Any) -> None:
    """Copy host ``values`` into ``array`` (NumPy or CuPy), casting to its dtype."""
    if isinstance(array, numpy.ndarray):
        array[...] = values
    else:
        from kusari import backend

        backend.copyto(array, numpy.asarray(values).astype(array.dtype, copy=False))


def _parse_rng(kwargs: dict, name: str) -> Any:
    rng = kwargs.pop("rng", None)
    if kwargs:
        raise TypeError(f"{name}() got unexpected keyword argument(s) {', '.join(kwargs)}")
    return rng


def get_fans(shape: tuple) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shape ``(out, in, *kernel)``.

    ``fan_in = shape[1] * prod(shape[2:])``, ``fan_out = shape[0] * prod(shape[2:])``.

    Raises:
        ValueError: ``shape`` is not a tuple or has fewer than two dimensions.

    Example:
        >>> get_fans((4, 3, 2, 2))
        (12, 16)
    """
    if not isinstance(shape, tuple):
        raise ValueError(f"shape must be tuple. Actual type: {type(shape)}")
    if len(shape) < 2:
        raise ValueError(f"shape must be of length >= 2. Actual shape: {shape}")
    receptive = 1
    for s in shape[2:]:
        receptive *= s
    return shape[1] * receptive, shape[0] * receptive


def generate_array(
    initializer: Any, shape: Any, xp: Any, dtype: Any = None, device: Any = None
) -> Any:
    """A new array of ``shape`` filled by ``initializer``.

    Args:
        initializer: A callable filling an array in place.
        shape: The shape (int or tuple).
        xp: ``numpy`` or ``cupy``.
        dtype: The dtype; defaults to the initializer's, then ``config.dtype``.
        device: A device to place the array on (must agree with ``xp``).

    Returns:
        The array.

    Raises:
        ValueError: ``dtype`` contradicts the initializer's dtype, or ``xp`` and
            ``device`` disagree.

    Example:
        >>> import numpy
        >>> from kusari import initializers
        >>> generate_array(initializers.One(), (2,), numpy).tolist()
        [1.0, 1.0]
    """
    import kusari
    from kusari import backend

    dt = getattr(initializer, "dtype", None)
    if dtype is not None and dt is not None and numpy.dtype(dtype) != numpy.dtype(dt):
        raise ValueError(f"dtype mismatch: {dtype} != {dt}")
    dtype = kusari.get_dtype(dtype if dtype is not None else dt)
    if device is not None:
        device = backend.get_device(device)
        if device.xp is not xp:
            raise ValueError("xp and device arguments are inconsistent.")
    if xp is numpy:
        array = numpy.empty(shape, dtype)
        initializer(array)
        return array
    # on the GPU, fill on the host with NumPy's RNG (the same draws as on the CPU)
    host = numpy.empty(shape, dtype)
    initializer(host)
    if device is None:
        device = backend.get_device(xp)
    return device.send(host)


def _get_initializer(initializer: Any) -> Any:
    """None -> LeCunNormal, scalar or array -> Constant, a callable stays itself.

    Raises:
        TypeError: Anything else.
    """
    from kusari import backend
    from kusari.initializers.constant import Constant
    from kusari.initializers.normal import LeCunNormal

    if initializer is None:
        return LeCunNormal()
    if isinstance(initializer, backend.get_array_types()) or numpy.isscalar(initializer):
        return Constant(initializer)
    if not callable(initializer):
        raise TypeError(f"invalid type of initializer: {type(initializer)}")
    return initializer


def _check_is_initializer_like(initializer: Any) -> None:
    """Raise TypeError unless ``initializer`` is None, callable, an array or a scalar."""
    from kusari import backend

    if not (initializer is None or callable(initializer)
            or isinstance(initializer, backend.get_array_types())
            or numpy.isscalar(initializer)):
        raise TypeError(f"Initializer is of wrong type: {type(initializer)}. Allowed types are "
                        "Initializer, ndarray and scalar.")
