"""Remove axes of length one."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Squeeze(FunctionNode):
    """Drop length-one axes (all of them, or those in ``axis``)."""

    _fast_check = staticmethod(_fast_check.always)  # ``squeeze`` itself rejects a bad axis

    def __init__(self, axis: int | tuple | None = None) -> None:
        if axis is None:
            self.axis = None
        elif isinstance(axis, int):
            self.axis = (axis,)
        elif isinstance(axis, tuple) and all(isinstance(a, int) for a in axis):
            self.axis = axis
        else:
            raise TypeError("axis must be None, int or tuple of ints")

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        x = in_types[0]
        if self.axis is not None:
            for a in self.axis:
                if a >= 0:
                    type_check.expect(x.ndim > a)
                else:
                    type_check.expect(-x.ndim <= a)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        if self.axis is not None:
            for a in self.axis:
                if not -x.ndim <= a < x.ndim:
                    self._check_data_type_forward(inputs)
                if x.shape[a] != 1:
                    raise ValueError("cannot select an axis to squeeze out which has size "
                                     f"not equal to one (axis {a} of shape {x.shape})")
        return x.squeeze(self.axis),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.reshape import reshape

        return reshape(grad_outputs[0], self._in_shape),


def squeeze(x: Any, axis: int | tuple | None = None) -> variable.Variable:
    """Remove axes of length one.

    Args:
        x: Input Variable or array.
        axis: None (every length-one axis), an int or a tuple of ints.

    Returns:
        A view of ``x`` without those axes.

    Raises:
        TypeError: ``axis`` is not None, an int or a tuple of ints.
        ValueError: A selected axis does not have length one.
        kusari.utils.type_check.InvalidType: An axis is out of range.

    Example:
        >>> import numpy
        >>> squeeze(numpy.zeros((1, 3, 1), numpy.float32)).shape
        (3,)
    """
    return Squeeze(axis).apply((x,))[0]
