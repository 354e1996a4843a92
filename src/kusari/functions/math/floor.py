"""Elementwise ``floor`` (not differentiable: the result has no graph)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.utils import force_array


def floor(x: Any) -> variable.Variable:
    """Elementwise ``numpy.floor``, returned as a Variable without a creator.

    The function is piecewise constant, so no gradient flows through it.

    Args:
        x: Input Variable or array.

    Returns:
        A Variable of the same dtype that does not require a gradient.

    Example:
        >>> import numpy
        >>> floor(numpy.array([-1.5, 2.5], numpy.float32)).array.tolist()
        [-2.0, 2.0]
    """
    if isinstance(x, variable.Variable):
        x = x.array
    xp = get_array_module(x)
    return variable.as_variable(force_array(xp.floor(x), x.dtype))
