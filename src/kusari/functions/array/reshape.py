"""Reshape without copying."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _count_unknown(shape: tuple) -> int:
    return sum(1 for s in shape if s < 0)


class Reshape(FunctionNode):
    """Reshape to a new shape (``-1`` infers one dimension)."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple) -> None:
        self.shape = shape
        self._cnt = _count_unknown(shape)
        if self._cnt > 1:
            raise ValueError(f"reshape: only one dimension can be -1, got {shape}")

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        if self._cnt == 0:
            type_check.expect(type_check.prod(x.shape) == type_check.prod(self.shape))
        else:
            known = type_check.prod([s for s in self.shape if s >= 0])
            type_check.expect(type_check.prod(x.shape) % known == 0)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        return x.reshape(self.shape),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return reshape(grad_outputs[0], self._in_shape),


def reshape(x: Any, shape: tuple) -> variable.Variable:
    """Reshape ``x`` to ``shape`` (a view when possible).

    Args:
        x: Input Variable or array.
        shape: The new shape; one entry may be ``-1``.

    Returns:
        The reshaped Variable.

    Example:
        >>> import numpy
        >>> reshape(numpy.zeros(6, numpy.float32), (2, -1)).shape
        (2, 3)
    """
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(shape)
    if x.shape == shape:
        return variable.as_variable(x)
    return Reshape(shape).apply((x,))[0]
