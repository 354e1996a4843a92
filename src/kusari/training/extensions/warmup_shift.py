"""WarmupShift: raise a hyperparameter linearly to its value over the first calls."""

from __future__ import annotations

from typing import Any

from kusari.training.extensions._shift import _InitShift

__all__ = ["WarmupShift"]


class WarmupShift(_InitShift):
    """Move ``optimizer.<attr>`` from ``warmup_start`` to ``init`` over ``warmup_iter`` calls.

    Args:
        attr: Hyperparameter name.
        warmup_start: Value at ``t = 0``.
        warmup_iter: Number of calls of the warm-up (> 0).
        init: Value reached at the end of the warm-up, and kept.
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Raises:
        ValueError: If ``warmup_iter`` is not positive.

    Example:
        >>> s = WarmupShift('lr', 0.0, 4, 1.0)
        >>> [s._value(t) for t in range(6)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(
        self, attr: str, warmup_start: float, warmup_iter: int, init: float, optimizer: Any = None
    ) -> None:
        if not warmup_iter > 0:
            raise ValueError(f"WarmupShift: warmup_iter must be positive, got {warmup_iter!r}")
        super().__init__(attr, init, None, optimizer)
        self._warmup_start = warmup_start
        self._warmup_iter = warmup_iter

    def _value(self, t: int) -> float:
        if t >= self._warmup_iter:
            return self._init
        return self._warmup_start + (self._init - self._warmup_start) * t / self._warmup_iter
