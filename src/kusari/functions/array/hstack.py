"""Stack arrays horizontally (column-wise), like ``numpy.hstack``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import variable
from kusari.functions.array._stacking import _AxisStack


class Hstack(_AxisStack):
    """Join along axis 1 (axis 0 for vectors and scalars)."""

    _min_ndim = 0  # vectors of any lengths join
    _axis = 1

    def _join_axis(self, ndim: int) -> int:
        return 0 if ndim <= 1 else 1

    def _promote(self, xp: Any, x: Any) -> Any:
        return x.reshape(1) if x.ndim == 0 else x


def hstack(xs: Sequence[Any]) -> variable.Variable:
    """Concatenate along the second axis (the first for 1-D inputs), like ``numpy.hstack``.

    Args:
        xs: Variables or arrays of one dtype and ndim.

    Returns:
        The stacked Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is empty or the inputs disagree.

    Example:
        >>> import numpy
        >>> hstack([numpy.zeros((2, 1)), numpy.zeros((2, 3))]).shape
        (2, 4)
    """
    return Hstack().apply(tuple(xs))[0]
