"""Reverse the rows (the first axis)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class FlipUD(FunctionNode):
    """Reverse along axis 0; the gradient is reversed back."""

    _fast_check = staticmethod(_fast_check.always)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("a",))
        type_check.expect(in_types[0].ndim >= 1)

    def forward(self, inputs: tuple) -> tuple:
        a, = inputs
        if a.ndim < 1:
            self._check_data_type_forward(inputs)
        return a[::-1],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return FlipUD().apply(grad_outputs)


def flipud(a: Any) -> variable.Variable:
    """Reverse ``a`` upside down (along axis 0), like ``numpy.flipud``.

    Args:
        a: Input Variable or array with at least one dimension.

    Returns:
        The flipped Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``a`` is 0-dimensional.

    Example:
        >>> import numpy
        >>> flipud(numpy.array([1.0, 2.0])).array.tolist()
        [2.0, 1.0]
    """
    return FlipUD().apply((a,))[0]
