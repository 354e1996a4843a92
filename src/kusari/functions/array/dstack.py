"""Stack arrays depth-wise (along the third axis), like ``numpy.dstack``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import variable
from kusari.functions.array._stacking import _AxisStack


class Dstack(_AxisStack):
    """Join along axis 2 after promoting inputs to 3-D."""

    _min_ndim = 3
    _axis = 2

    def _promote(self, xp: Any, x: Any) -> Any:
        if x.ndim == 0:
            return x.reshape(1, 1, 1)
        if x.ndim == 1:
            return x.reshape(1, -1, 1)
        if x.ndim == 2:
            return x.reshape(x.shape + (1,))
        return x


def dstack(xs: Sequence[Any]) -> variable.Variable:
    """Concatenate along the third axis, like ``numpy.dstack``.

    Args:
        xs: Variables or arrays of one dtype and ndim.

    Returns:
        The stacked Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is empty or the inputs disagree.

    Example:
        >>> import numpy
        >>> dstack([numpy.zeros((2, 3)), numpy.ones((2, 3))]).shape
        (2, 3, 2)
    """
    return Dstack().apply(tuple(xs))[0]
