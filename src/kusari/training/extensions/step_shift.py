"""StepShift: multiply a hyperparameter by ``gamma`` every ``step`` calls."""

from __future__ import annotations

from typing import Any

from kusari.training.extensions._shift import _clip, _InitShift

__all__ = ["StepShift"]


class StepShift(_InitShift):
    """Set ``optimizer.<attr> = init * gamma ** (t // step)`` after the ``t``-th call.

    Args:
        attr: Hyperparameter name.
        gamma: Factor applied every ``step`` calls.
        step: Number of calls between changes (> 0).
        init: Value at ``t = 0`` (default: the optimizer's value at the start).
        target: Bound the value stops at.
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Raises:
        ValueError: If ``step`` is not positive.

    Example:
        >>> s = StepShift('lr', 0.1, 3, init=1.0)
        >>> [round(s._value(t), 6) for t in range(7)]
        [1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.01]
    """

    def __init__(
        self,
        attr: str,
        gamma: float,
        step: int,
        init: float | None = None,
        target: float | None = None,
        optimizer: Any = None,
    ) -> None:
        if not step > 0:
            raise ValueError(f"StepShift: step must be positive, got {step!r}")
        super().__init__(attr, init, target, optimizer)
        self._gamma = gamma
        self._step = step

    def _value(self, t: int) -> float:
        return _clip(self._init * self._gamma ** (t // self._step), self._target, self._gamma > 1)
