"""Elementwise gradient clipping."""

from __future__ import annotations

from typing import Any

from kusari import backend
from kusari.optimizer_hooks._base import _ParamHook


class GradientHardClipping(_ParamHook):
    """Clip each gradient element into ``[lower_bound, upper_bound]``, in place.

    Args:
        lower_bound: The lower bound.
        upper_bound: The upper bound.

    Example:
        >>> import numpy
        >>> from kusari import Parameter
        >>> p = Parameter(numpy.zeros(3)); p.grad = numpy.array([-5.0, 0.5, 5.0])
        >>> GradientHardClipping(-1, 1)(None, p); p.grad.tolist()
        [-1.0, 0.5, 1.0]
    """

    name = "GradientHardClipping"

    def __init__(self, lower_bound: float, upper_bound: float) -> None:
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def _apply(self, rule: Any, param: Any) -> None:
        g = param.grad
        if g is None:
            return
        xp = backend.get_array_module(g)
        xp.clip(g, self.lower_bound, self.upper_bound, out=g)
