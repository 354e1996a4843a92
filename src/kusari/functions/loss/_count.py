"""The normalizer of a mean loss over the entries that are not ignored."""

from __future__ import annotations

from typing import Any

import numpy


def valid_count(xp: Any, mask: Any, dtype: Any) -> Any:
    """``max(mask.sum(), 1)`` without a device-to-host copy.

    Returns a Python int for NumPy and a 0-d array of ``dtype`` on the device for CuPy,
    so a training step on the GPU never waits for the count.

    Example:
        >>> import numpy
        >>> valid_count(numpy, numpy.array([True, False, True]), numpy.float32)
        2
    """
    if xp is numpy:
        return max(int(mask.sum()), 1)
    return xp.maximum(mask.sum(), 1).astype(dtype)


def divide(a: Any, count: Any, dtype: Any) -> Any:
    """``a / count`` in ``dtype``, for an int or 0-d array ``count``."""
    if isinstance(count, int):
        return a / dtype.type(count)
    return a / count


def reciprocal(count: Any) -> Any:
    """``1 / count`` as a Python float for an int, else a 0-d device array."""
    if isinstance(count, int):
        return 1.0 / count
    return 1 / count
