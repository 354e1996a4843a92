"""Broadcasting: :func:`broadcast_to` one shape, :func:`broadcast` several inputs together."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class BroadcastTo(FunctionNode):
    """Broadcast to a shape; the gradient is summed back to the input's shape."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple) -> None:
        self._shape = tuple(shape)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect_broadcast_shapes(in_types[0].shape, self._shape)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        xp = _xp(x)
        return xp.broadcast_to(x, self._shape),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.sum import sum_to

        return sum_to(grad_outputs[0], self._in_shape),


def _xp(*xs: Any) -> Any:
    from kusari.backend import get_array_module

    return get_array_module(*xs)


def broadcast_to(x: Any, shape: tuple) -> variable.Variable:
    """Broadcast ``x`` to ``shape`` (a read-only view in forward).

    Args:
        x: Input Variable or array.
        shape: Target shape.

    Returns:
        The broadcast Variable.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes do not broadcast.

    Example:
        >>> import numpy
        >>> broadcast_to(numpy.ones(3, numpy.float32), (2, 3)).shape
        (2, 3)
    """
    shape = tuple(shape)
    if x.shape == shape:
        return variable.as_variable(x)
    return BroadcastTo(shape).apply((x,))[0]


class Broadcast(FunctionNode):
    """Broadcast several inputs against each other."""

    _fast_check = staticmethod(_fast_check.always)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect_broadcast_shapes(*[t.shape for t in in_types])

    def forward(self, inputs: tuple) -> tuple:
        xp = _xp(*inputs)
        self._in_shapes = [x.shape for x in inputs]
        return tuple(xp.broadcast_arrays(*inputs))

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.sum import sum_to

        return tuple(
            None if grad_outputs[i] is None else sum_to(grad_outputs[i], self._in_shapes[i])
            for i in indexes
        )


def broadcast(*args: Any) -> Any:
    """Broadcast the inputs against each other.

    Returns:
        One Variable when given one input, else a tuple of Variables.

    Example:
        >>> import numpy
        >>> a, b = broadcast(numpy.ones((2, 1)), numpy.ones(3))
        >>> a.shape, b.shape
        ((2, 3), (2, 3))
    """
    if len(args) == 0:
        raise ValueError("broadcast: at least one input is required")
    ys = Broadcast().apply(args)
    return ys[0] if len(args) == 1 else ys
