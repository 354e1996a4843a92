"""Elementwise ``ceil`` (not differentiable: the result has no graph)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.utils import force_array


def ceil(x: Any) -> variable.Variable:
    """Elementwise ``numpy.ceil``, returned as a Variable without a creator.

    The function is piecewise constant, so no gradient flows through it.

    Args:
        x: Input Variable or array.

    Returns:
        A Variable of the same dtype that does not require a gradient.

    Example:
        >>> import numpy
        >>> ceil(numpy.array([-1.5, 2.5], numpy.float32)).array.tolist()
        [-1.0, 3.0]
    """
    if isinstance(x, variable.Variable):
        x = x.array
    xp = get_array_module(x)
    return variable.as_variable(force_array(xp.ceil(x), x.dtype))
