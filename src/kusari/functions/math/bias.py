"""Add a bias broadcast along trailing axes starting at ``axis``."""

from __future__ import annotations

from typing import Any

from kusari import variable


def _expand(x: Any, y: Any, axis: int) -> Any:
    from kusari.functions.array.broadcast import broadcast_to
    from kusari.functions.array.reshape import reshape

    y = variable.as_variable(y)
    shape = (1,) * axis + y.shape + (1,) * (x.ndim - axis - y.ndim)
    return broadcast_to(reshape(y, shape), x.shape)


def bias(x: Any, y: Any, axis: int = 1) -> variable.Variable:
    """``x + y`` with ``y`` aligned to ``x``'s axes ``axis, axis + 1, ...``.

    Args:
        x: Input Variable or array.
        y: Bias whose shape equals ``x.shape[axis:axis + y.ndim]``.
        axis: The first axis of ``x`` that ``y`` covers.

    Returns:
        The biased Variable, shaped like ``x``.

    Raises:
        kusari.utils.type_check.InvalidType: ``y``'s shape does not match.

    Example:
        >>> import numpy
        >>> x = numpy.zeros((2, 3, 4), numpy.float32)
        >>> bias(x, numpy.arange(3, dtype=numpy.float32))[0, :, 0].array.tolist()
        [0.0, 1.0, 2.0]
    """
    x = variable.as_variable(x)
    return x + _expand(x, y, axis)
