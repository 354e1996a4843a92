"""MultistepShift: multiply a hyperparameter by ``gamma`` at given steps."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from kusari.training.extensions._shift import _InitShift

__all__ = ["MultistepShift"]


class MultistepShift(_InitShift):
    """Set ``optimizer.<attr> = init * gamma ** k``, ``k`` the number of steps ``<= t``.

    Args:
        attr: Hyperparameter name.
        gamma: Factor applied at each step.
        step_value: Increasing calls counts at which the value changes.
        init: Value at ``t = 0`` (None: the optimizer's value at the start).
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Example:
        >>> s = MultistepShift('lr', 0.1, [2, 4], 1.0)
        >>> [round(s._value(t), 6) for t in range(6)]
        [1.0, 1.0, 0.1, 0.1, 0.01, 0.01]
    """

    def __init__(
        self,
        attr: str,
        gamma: float,
        step_value: Sequence[int],
        init: float | None,
        optimizer: Any = None,
    ) -> None:
        super().__init__(attr, init, None, optimizer)
        self._gamma = gamma
        self._step_value = sorted(step_value)

    def _value(self, t: int) -> float:
        return self._init * self._gamma ** bisect.bisect_right(self._step_value, t)
