"""Exponential and logarithms."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


def _check_float(in_types: Any) -> None:
    type_check.argname(in_types, ("x",))
    type_check.expect(in_types[0].dtype.kind == "f")


class Exp(FunctionNode):
    """``exp(x)``; its derivative is the output itself."""

    _fast_check = staticmethod(_fast_check.first_float)

    @property
    def label(self) -> str:
        return "exp"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return force_array(get_array_module(x).exp(x)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, = self.get_retained_outputs()
        return y * grad_outputs[0],


def exp(x: Any) -> variable.Variable:
    """Elementwise exponential.

    Example:
        >>> import numpy
        >>> exp(numpy.zeros(1, numpy.float32)).array.tolist()
        [1.0]
    """
    return Exp().apply((x,))[0]


class Log(FunctionNode):
    """Logarithm in base ``e``, 2 or 10."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, base: str = "e") -> None:
        self.base = base

    @property
    def label(self) -> str:
        return {"e": "log", "2": "log2", "10": "log10"}[self.base]

    def check_type_forward(self, in_types: Any) -> None:
        _check_float(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        f = {"e": xp.log, "2": xp.log2, "10": xp.log10}[self.base]
        return force_array(f(x)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        if self.base == "e":
            return gy / x,
        scale = 1.0 / math.log(2.0 if self.base == "2" else 10.0)
        return gy * scale / x,


def log(x: Any) -> variable.Variable:
    """Elementwise natural logarithm.

    Example:
        >>> import numpy
        >>> log(numpy.ones(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Log("e").apply((x,))[0]


def log2(x: Any) -> variable.Variable:
    """Elementwise base-2 logarithm."""
    return Log("2").apply((x,))[0]


def log10(x: Any) -> variable.Variable:
    """Elementwise base-10 logarithm."""
    return Log("10").apply((x,))[0]
