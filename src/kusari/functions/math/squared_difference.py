"""Elementwise squared difference (Chainer's alias of :func:`squared_error`)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.loss.squared_error import SquaredError


def squared_difference(x1: Any, x2: Any) -> variable.Variable:
    """Elementwise squared difference: :math:`(x_1 - x_2)^2`.

    The same node as :func:`~kusari.functions.squared_error` (type errors name the inputs
    ``x0`` and ``x1``, as in Chainer); the gradient is :math:`\\pm 2 (x_1 - x_2) g`.

    Args:
        x1: Variable or array, float.
        x2: Variable or array of the same shape and dtype.

    Returns:
        A Variable of the inputs' shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: Not float, or shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> squared_difference(numpy.array([1.0, 2.0], 'f'), numpy.array([3.0, 0.0], 'f')).array
        array([4., 4.], dtype=float32)
    """
    return SquaredError().apply((x1, x2))[0]
