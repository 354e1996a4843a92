"""Elementwise square."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.math._unary import UnaryElementwise


class Square(UnaryElementwise):
    _label = "square"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.square(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return 2.0 * x * gy


def square(x: Any) -> variable.Variable:
    """Elementwise square ``x * x``; the derivative is ``2x``.

    Args:
        x: Input Variable or array (floating point).

    Returns:
        The squares.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> square(numpy.array([-2.0, 3.0], numpy.float32)).array.tolist()
        [4.0, 9.0]
    """
    return Square().apply((x,))[0]
