"""Multiply by a scale broadcast along trailing axes starting at ``axis``."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math.bias import _expand


def scale(x: Any, y: Any, axis: int = 1) -> variable.Variable:
    """``x * y`` with ``y`` aligned to ``x``'s axes ``axis, axis + 1, ...``.

    Args:
        x: Input Variable or array.
        y: Scale whose shape equals ``x.shape[axis:axis + y.ndim]``.
        axis: The first axis of ``x`` that ``y`` covers.

    Returns:
        The scaled Variable, shaped like ``x``.

    Raises:
        kusari.utils.type_check.InvalidType: ``y``'s shape does not match.

    Example:
        >>> import numpy
        >>> x = numpy.ones((2, 3), numpy.float32)
        >>> scale(x, numpy.arange(3, dtype=numpy.float32)).array.tolist()
        [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]]
    """
    x = variable.as_variable(x)
    return x * _expand(x, y, axis)
