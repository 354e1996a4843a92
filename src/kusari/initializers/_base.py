"""The initializer protocol and :func:`generate_array`."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.configuration import config


class Initializer:
    """Base of initializers: called on an array, fills it in place.

    Args:
        dtype: The dtype the initializer produces; None follows ``config.dtype``.
    """

    def __init__(self, dtype: Any = None) -> None:
        self.dtype = None if dtype is None else numpy.dtype(dtype)

    def __call__(self, array: Any) -> None:
        raise NotImplementedError

    def _check(self, array: Any) -> None:
        if self.dtype is not None and array.dtype != self.dtype:
            raise ValueError(
                f"{type(self).__name__}: dtype mismatch, the initializer makes {self.dtype} "
                f"but the array is {array.dtype}"
            )


def get_fans(shape: tuple) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shape ``(out, in, *kernel)``.

    Raises:
        ValueError: ``shape`` has fewer than two dimensions.
    """
    if not isinstance(shape, tuple):
        raise ValueError(f"get_fans: shape must be a tuple, got {type(shape).__name__}")
    if len(shape) < 2:
        raise ValueError(f"get_fans: shape must be of length >= 2, got {shape}")
    receptive = 1
    for s in shape[2:]:
        receptive *= s
    return shape[1] * receptive, shape[0] * receptive


def generate_array(
    initializer: Any, shape: tuple, xp: Any, dtype: Any = None, device: Any = None
) -> Any:
    """A new array of ``shape`` filled by ``initializer``.

    Args:
        initializer: A callable filling an array in place.
        shape: The shape.
        xp: ``numpy`` or ``cupy``.
        dtype: The dtype; defaults to the initializer's, then ``config.dtype``.
        device: A device to place the array on (overrides ``xp``).

    Returns:
        The array.

    Raises:
        ValueError: ``dtype`` contradicts the initializer's dtype.
    """
    dt = getattr(initializer, "dtype", None)
    if dtype is not None and dt is not None and numpy.dtype(dtype) != numpy.dtype(dt):
        raise ValueError(
            f"generate_array: dtype {numpy.dtype(dtype)} differs from the initializer's {dt}"
        )
    dtype = numpy.dtype(dtype if dtype is not None else dt if dt is not None else config.dtype)
    if device is not None:
        from kusari import backend

        device = backend.get_device(device)
        xp = device.xp
    if xp is numpy:
        array = numpy.empty(shape, dtype)
        initializer(array)
        return array
    # on the GPU, fill on the host with NumPy's RNG (same draws as on the CPU), then send
    host = numpy.empty(shape, dtype)
    initializer(host)
    from kusari import backend

    dev = device if device is not None else backend.get_device(xp)
    return dev.send(host)


def _get_initializer(initializer: Any) -> Any:
    """Turn None (LeCunNormal), a scalar (Constant) or an array (Constant) into an initializer."""
    from kusari.initializers.constant import Constant
    from kusari.initializers.normal import LeCunNormal

    if initializer is None:
        return LeCunNormal()
    if numpy.isscalar(initializer):
        return Constant(initializer)
    if hasattr(initializer, "shape") and hasattr(initializer, "dtype"):
        return Constant(initializer)
    if not callable(initializer):
        raise TypeError(f"invalid type of initializer: {type(initializer).__name__}")
    return initializer
