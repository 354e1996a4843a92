"""Scaled exponential linear unit."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.activation.elu import elu


def selu(
    x: Any, alpha: float = 1.6732632423543772, scale: float = 1.0507009873554805
) -> variable.Variable:
    """Scaled ELU: :math:`f(x) = \\lambda x` if :math:`x > 0`, else
    :math:`\\lambda \\alpha (\\exp(x) - 1)`.

    Args:
        x: Input Variable or array, float.
        alpha: :math:`\\alpha`.
        scale: :math:`\\lambda`.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> selu(numpy.array([0.0, 1.0])).array.round(4).tolist()
        [0.0, 1.0507]
    """
    return scale * elu(x, alpha)
