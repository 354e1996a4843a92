"""PolynomialShift: decay a hyperparameter polynomially to zero over ``max_count`` calls."""

from __future__ import annotations

from typing import Any

from kusari.training.extensions._shift import _clip, _InitShift

__all__ = ["PolynomialShift"]


class PolynomialShift(_InitShift):
    """Set ``optimizer.<attr> = init * (1 - t / max_count) ** rate`` (0 after ``max_count``).

    Args:
        attr: Hyperparameter name.
        rate: Exponent of the decay.
        max_count: Number of calls after which the value reaches 0 (> 0).
        init: Value at ``t = 0`` (default: the optimizer's value at the start).
        target: Lower bound the value stops at.
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Raises:
        ValueError: If ``max_count`` is not positive.

    Example:
        >>> s = PolynomialShift('lr', 1.0, 4, init=1.0)
        >>> [s._value(t) for t in range(6)]
        [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """

    def __init__(
        self,
        attr: str,
        rate: float,
        max_count: int,
        init: float | None = None,
        target: float | None = None,
        optimizer: Any = None,
    ) -> None:
        if not max_count > 0:
            raise ValueError(f"PolynomialShift: max_count must be positive, got {max_count!r}")
        super().__init__(attr, init, target, optimizer)
        self._rate = rate
        self._max_count = max_count

    def _value(self, t: int) -> float:
        decay = max(1.0 - t / self._max_count, 0.0)
        return _clip(self._init * decay**self._rate, self._target, False)
