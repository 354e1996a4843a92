"""Base node of the elementwise floating-point functions of one input."""

from __future__ import annotations

from typing import Any

from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


class UnaryElementwise(FunctionNode):
    """``y = f(x)`` elementwise on a float array.

    Subclasses set ``_label`` and ``_retain`` (``"x"``, ``"y"`` or ``None``: what
    ``grad`` receives) and define ``compute(xp, x)`` on arrays and ``grad(v, gy)`` on
    Variables, returning ``dy/dx * gy`` built from differentiable functions.
    """

    _fast_check = staticmethod(_fast_check.first_float)
    _label = ""
    _retain: str | None = "x"

    @property
    def label(self) -> str:
        return self._label

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        type_check.expect(in_types[0].dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        if self._retain == "x":
            self.retain_inputs((0,))
        elif self._retain == "y":
            self.retain_outputs((0,))
        return force_array(self.compute(get_array_module(x), x), x.dtype),

    def compute(self, xp: Any, x: Any) -> Any:
        raise NotImplementedError

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        if self._retain == "x":
            v, = self.get_retained_inputs()
        elif self._retain == "y":
            v, = self.get_retained_outputs()
        else:
            v = None
        return self.grad(v, grad_outputs[0]),

    def grad(self, v: Any, gy: Any) -> Any:
        raise NotImplementedError
