"""InverseShift: decay a hyperparameter as ``(1 + gamma t) ** -power``."""

from __future__ import annotations

from typing import Any

from kusari.training.extensions._shift import _clip, _InitShift

__all__ = ["InverseShift"]


class InverseShift(_InitShift):
    """Set ``optimizer.<attr> = init * (1 + gamma * t) ** (-power)`` after the ``t``-th call.

    Args:
        attr: Hyperparameter name.
        gamma: Rate of the decay (>= 0).
        power: Exponent.
        init: Value at ``t = 0`` (default: the optimizer's value at the start).
        target: Bound the value stops at (a lower bound when the value decreases).
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Raises:
        ValueError: If ``gamma`` is negative.

    Example:
        >>> s = InverseShift('lr', 1.0, 1.0, init=1.0)
        >>> [s._value(t) for t in range(4)]
        [1.0, 0.5, 0.3333333333333333, 0.25]
    """

    def __init__(
        self,
        attr: str,
        gamma: float,
        power: float,
        init: float | None = None,
        target: float | None = None,
        optimizer: Any = None,
    ) -> None:
        if gamma < 0:
            raise ValueError(f"InverseShift: gamma must be >= 0, got {gamma!r}")
        super().__init__(attr, init, target, optimizer)
        self._gamma = gamma
        self._power = power

    def _value(self, t: int) -> float:
        value = self._init * (1 + self._gamma * t) ** (-self._power)
        return _clip(value, self._target, self._power < 0)
