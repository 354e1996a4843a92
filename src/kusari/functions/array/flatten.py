"""Flatten to one dimension."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.array.reshape import reshape


def flatten(x: Any) -> variable.Variable:
    """Flatten ``x`` to a vector (``reshape(x, (x.size,))``).

    Args:
        x: Input Variable or array.

    Returns:
        A one-dimensional Variable of ``x.size`` elements.

    Example:
        >>> import numpy
        >>> flatten(numpy.zeros((2, 3), numpy.float32)).shape
        (6,)
    """
    return reshape(x, (x.size,))
