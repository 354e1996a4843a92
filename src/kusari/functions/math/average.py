"""Means: :func:`average` (optionally weighted) and its alias :func:`mean`, as in Chainer."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math.sum import _normalize_axis
from kusari.functions.math.sum import sum as _sum


def _mean(x: Any, axis: int | tuple | None = None, keepdims: bool = False) -> variable.Variable:
    """Arithmetic mean over the given axes.

    Args:
        x: Input Variable or array.
        axis: None (all axes), an int or a tuple of ints.
        keepdims: Keep the reduced axes with length one.

    Returns:
        The mean.

    Example:
        >>> import numpy
        >>> _mean(numpy.array([1.0, 3.0], numpy.float32)).array.item()
        2.0
    """
    x = variable.as_variable(x)
    axes = _normalize_axis(axis, x.ndim, "mean")
    n = x.size if axes is None else 1
    if axes is not None:
        for a in axes:
            n *= x.shape[a]
    y = _sum(x, axis, keepdims)
    return y * (1.0 / n) if n else y * float("nan")


def average(
    x: Any,
    axis: int | tuple | None = None,
    weights: Any = None,
    keepdims: bool = False,
) -> variable.Variable:
    """Weighted average over the given axes.

    Args:
        x: Input Variable or array.
        axis: None, an int or a tuple of ints.
        weights: Weights broadcastable along ``axis`` (one-dimensional when ``axis`` is
            an int), or None for the plain mean.
        keepdims: Keep the reduced axes with length one.

    Returns:
        The average.

    Example:
        >>> import numpy
        >>> w = numpy.array([1.0, 3.0], numpy.float32)
        >>> average(numpy.array([0.0, 4.0], numpy.float32), weights=w).array.item()
        3.0
    """
    if weights is None:
        return _mean(x, axis, keepdims)
    from kusari.functions.array.broadcast import broadcast_to
    from kusari.functions.array.reshape import reshape

    x = variable.as_variable(x)
    w = variable.as_variable(weights)
    axes = _normalize_axis(axis, x.ndim, "average")
    if axes is not None and len(axes) == 1 and w.ndim == 1:
        shape = [1] * x.ndim
        shape[axes[0]] = w.shape[0]
        w = reshape(w, tuple(shape))
    if w.shape != x.shape:
        w = broadcast_to(w, x.shape)
    return _sum(x * w, axis, keepdims) / _sum(w, axis, keepdims)


# Chainer's ``F.mean`` is ``average`` itself: ``mean(x, axis, weights, keepdims)``.
mean = average
