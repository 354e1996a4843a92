"""Cast to another dtype."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Cast(FunctionNode):
    """``x.astype(typ)``; a float input's gradient is cast back to its dtype."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, typ: Any) -> None:
        self.type = numpy.dtype(typ)

    @property
    def label(self) -> str:
        return "Cast"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_dtype = x.dtype
        return x.astype(self.type, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        if self._in_dtype.kind != "f":
            return None,
        return cast(grad_outputs[0], self._in_dtype),


def cast(x: Any, typ: Any) -> variable.Variable:
    """Cast ``x`` to the dtype ``typ``.

    When ``x`` already has that dtype it is returned as a Variable unchanged (no node).
    Only floating-point inputs receive a gradient.

    Args:
        x: Input Variable or array.
        typ: Anything ``numpy.dtype`` accepts (``numpy.float16``, ``'f'``...).

    Returns:
        The cast Variable.

    Example:
        >>> import numpy
        >>> cast(numpy.zeros(2, numpy.float32), numpy.float16).dtype
        dtype('float16')
    """
    if x.dtype == numpy.dtype(typ):
        return variable.as_variable(x)
    return Cast(typ).apply((x,))[0]
