"""ExponentialShift: multiply a hyperparameter by a rate at every call."""

from __future__ import annotations

from typing import Any

from kusari.training.extensions._shift import _clip, _InitShift

__all__ = ["ExponentialShift"]


class ExponentialShift(_InitShift):
    """Set ``optimizer.<attr> = init * rate ** t`` after the ``t``-th call.

    Args:
        attr: Hyperparameter name, e.g. ``'lr'``.
        rate: Factor per call (> 0).
        init: Value at ``t = 0`` (default: the optimizer's value at the start).
        target: Bound the value stops at (an upper bound if ``rate > 1``, else a lower one).
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Raises:
        ValueError: If ``rate`` is not positive.

    Example:
        >>> # trainer.extend(ExponentialShift('lr', 0.5), trigger=(10, 'epoch'))
        >>> s = ExponentialShift('lr', 0.5, init=1.0, target=0.2)
        >>> [s._value(t) for t in range(4)]
        [1.0, 0.5, 0.25, 0.2]
    """

    def __init__(
        self,
        attr: str,
        rate: float,
        init: float | None = None,
        target: float | None = None,
        optimizer: Any = None,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"ExponentialShift: rate must be positive, got {rate!r}")
        super().__init__(attr, init, target, optimizer)
        self._rate = rate

    def _value(self, t: int) -> float:
        return _clip(self._init * self._rate**t, self._target, self._rate > 1)
