"""Trigonometric functions and their inverses."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.math._unary import UnaryElementwise
from kusari.utils import force_array, type_check


class Sin(UnaryElementwise):
    _label = "sin"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.sin(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return cos(x) * gy


class Cos(UnaryElementwise):
    _label = "cos"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.cos(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return -sin(x) * gy


class Tan(UnaryElementwise):
    _label = "tan"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.tan(x)

    def grad(self, x: Any, gy: Any) -> Any:
        c = cos(x)
        return gy / (c * c)


class Arcsin(UnaryElementwise):
    _label = "arcsin"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.arcsin(x)

    def grad(self, x: Any, gy: Any) -> Any:
        from kusari.functions.math.sqrt import rsqrt

        return rsqrt(1.0 - x * x) * gy


class Arccos(UnaryElementwise):
    _label = "arccos"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.arccos(x)

    def grad(self, x: Any, gy: Any) -> Any:
        from kusari.functions.math.sqrt import rsqrt

        return -rsqrt(1.0 - x * x) * gy


class Arctan(UnaryElementwise):
    _label = "arctan"

    def compute(self, xp: Any, x: Any) -> Any:
        return xp.arctan(x)

    def grad(self, x: Any, gy: Any) -> Any:
        return gy / (1.0 + x * x)


class Arctan2(FunctionNode):
    """``arctan2(x1, x2)``, the angle of the point ``(x2, x1)``."""

    _fast_check = staticmethod(_fast_check.float_inputs)

    @property
    def label(self) -> str:
        return "arctan2"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x1", "x2"))
        x1, x2 = in_types
        type_check.expect(x1.dtype.kind == "f", x2.dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        return force_array(get_array_module(x1).arctan2(x1, x2)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.sum import sum_to

        x1, x2 = self.get_retained_inputs()
        gy, = grad_outputs
        r2 = x1 * x1 + x2 * x2
        ret = []
        if 0 in indexes:
            ret.append(sum_to(gy * x2 / r2, x1.shape))
        if 1 in indexes:
            ret.append(sum_to(-gy * x1 / r2, x2.shape))
        return tuple(ret)


def sin(x: Any) -> variable.Variable:
    """Elementwise sine.

    Example:
        >>> import numpy
        >>> sin(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Sin().apply((x,))[0]


def cos(x: Any) -> variable.Variable:
    """Elementwise cosine.

    Example:
        >>> import numpy
        >>> cos(numpy.zeros(1, numpy.float32)).array.tolist()
        [1.0]
    """
    return Cos().apply((x,))[0]


def tan(x: Any) -> variable.Variable:
    """Elementwise tangent; the derivative is ``1 / cos(x)^2``.

    Example:
        >>> import numpy
        >>> tan(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Tan().apply((x,))[0]


def arcsin(x: Any) -> variable.Variable:
    """Elementwise inverse sine; the derivative is ``1 / sqrt(1 - x^2)``.

    Example:
        >>> import numpy
        >>> arcsin(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Arcsin().apply((x,))[0]


def arccos(x: Any) -> variable.Variable:
    """Elementwise inverse cosine; the derivative is ``-1 / sqrt(1 - x^2)``.

    Example:
        >>> import numpy
        >>> arccos(numpy.ones(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Arccos().apply((x,))[0]


def arctan(x: Any) -> variable.Variable:
    """Elementwise inverse tangent; the derivative is ``1 / (1 + x^2)``.

    Example:
        >>> import numpy
        >>> arctan(numpy.zeros(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Arctan().apply((x,))[0]


def arctan2(x1: Any, x2: Any) -> variable.Variable:
    """Elementwise ``arctan(x1 / x2)`` choosing the quadrant (broadcasting).

    The partial derivatives are ``x2 / (x1^2 + x2^2)`` and ``-x1 / (x1^2 + x2^2)``.

    Example:
        >>> import numpy
        >>> arctan2(numpy.zeros(1, numpy.float32), numpy.ones(1, numpy.float32)).array.tolist()
        [0.0]
    """
    return Arctan2().apply((x1, x2))[0]
