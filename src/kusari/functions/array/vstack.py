"""Stack arrays vertically (row-wise), like ``numpy.vstack``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import variable
from kusari.functions.array._stacking import _AxisStack


class Vstack(_AxisStack):
    """Join along axis 0 after promoting inputs to 2-D."""

    _min_ndim = 2
    _axis = 0
    _name_args = False

    def _promote(self, xp: Any, x: Any) -> Any:
        return x.reshape(1, -1) if x.ndim <= 1 else x


def vstack(xs: Sequence[Any]) -> variable.Variable:
    """Concatenate along the first axis, 1-D inputs becoming rows, like ``numpy.vstack``.

    Args:
        xs: Variables or arrays of one dtype and ndim.

    Returns:
        The stacked Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``xs`` is empty or the inputs disagree.

    Example:
        >>> import numpy
        >>> vstack([numpy.zeros(3), numpy.ones(3)]).shape
        (2, 3)
    """
    return Vstack().apply(tuple(xs))[0]
