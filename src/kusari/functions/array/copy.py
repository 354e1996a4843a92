"""Copy to a device."""

from __future__ import annotations

from typing import Any

from kusari import backend, variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Copy(FunctionNode):
    """Send the array to ``dst``; the gradient is sent back to the source device."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, in_device: Any, out_device: Any) -> None:
        self._in_device = in_device
        self._out_device = out_device

    @property
    def label(self) -> str:
        return "Copy"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        y = self._out_device.send(x)
        if y is x:
            y = x.copy()
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Copy(self._out_device, self._in_device).apply(grad_outputs)


def copy(x: Any, dst: Any) -> variable.Variable:
    """Copy ``x`` to the device ``dst`` (a differentiable transfer).

    Args:
        x: Input Variable or array.
        dst: A device specifier: a device object, a string such as ``'@numpy'`` or
            ``'@cupy:0'``, or an int (a negative one is the CPU, else a GPU id).

    Returns:
        A Variable on ``dst`` holding a copy of ``x``.

    Example:
        >>> import numpy
        >>> copy(numpy.ones(2, numpy.float32), -1).array.tolist()
        [1.0, 1.0]
    """
    in_device = backend.get_device_from_array(variable.as_array(x))
    return Copy(in_device, backend.get_device(dst)).apply((x,))[0]
