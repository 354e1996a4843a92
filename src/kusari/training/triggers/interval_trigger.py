"""Trigger firing at a fixed interval of iterations or epochs."""

from __future__ import annotations

from typing import Any

__all__ = ["IntervalTrigger"]

_UNITS = ("epoch", "iteration")


def _check_unit(where: str, unit: Any) -> None:
    if unit not in _UNITS:
        raise ValueError(f"{where}: unit must be 'epoch' or 'iteration', got {unit!r}")


class IntervalTrigger:
    """Fire every ``period`` iterations or epochs.

    With ``unit='epoch'`` the period may be fractional: the trigger fires whenever
    ``epoch_detail // period`` increases.

    Args:
        period: Length of the interval (> 0).
        unit: ``'iteration'`` or ``'epoch'``.

    Raises:
        ValueError: If ``period`` is not positive or ``unit`` is unknown.

    Example:
        >>> t = IntervalTrigger(2, 'iteration')
        >>> t.get_training_length()
        (2, 'iteration')
    """

    def __init__(self, period: int | float, unit: str) -> None:
        _check_unit("IntervalTrigger", unit)
        if not period > 0:
            raise ValueError(f"IntervalTrigger: period must be positive, got {period!r}")
        self.period = period
        self.unit = unit
        self._previous_iteration = 0
        self._previous_epoch_detail = 0.0

    def __call__(self, trainer: Any) -> bool:
        """Whether the interval boundary was crossed since the last call."""
        updater = trainer.updater
        if self.unit == "epoch":
            now = updater.epoch_detail
            previous = self._previous_epoch_detail
            if previous < 0:  # state from an old snapshot: trust the updater
                previous = updater.previous_epoch_detail or 0.0
            fire = previous // self.period != now // self.period
        else:
            now = updater.iteration
            previous = self._previous_iteration
            if previous < 0:
                previous = now - 1
            fire = previous // self.period != now // self.period
        self._previous_iteration = updater.iteration
        self._previous_epoch_detail = updater.epoch_detail
        return fire

    def get_training_length(self) -> tuple[int | float, str]:
        """The ``(period, unit)`` pair, used as the length when this stops training."""
        return self.period, self.unit

    def serialize(self, serializer: Any) -> None:
        """Save or load the position of the previous call."""
        try:
            self._previous_iteration = serializer("previous_iteration", self._previous_iteration)
            self._previous_epoch_detail = serializer(
                "previous_epoch_detail", self._previous_epoch_detail
            )
        except KeyError:  # an old snapshot: fall back on the updater's position
            self._previous_iteration = -1
            self._previous_epoch_detail = -1.0

    def __str__(self) -> str:
        return f"IntervalTrigger({self.period}, {self.unit!r})"
