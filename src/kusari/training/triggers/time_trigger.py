"""Trigger firing at a fixed interval of wall-clock training time."""

from __future__ import annotations

from typing import Any

__all__ = ["TimeTrigger"]


class TimeTrigger:
    """Fire each time ``trainer.elapsed_time`` passes another ``period`` seconds.

    Args:
        period: Interval in seconds (> 0).

    Raises:
        ValueError: If ``period`` is not positive.

    Example:
        >>> TimeTrigger(60.0).period
        60.0
    """

    def __init__(self, period: float) -> None:
        if not period > 0:
            raise ValueError(f"TimeTrigger: period must be positive, got {period!r}")
        self.period = period
        self._next_time = period

    def __call__(self, trainer: Any) -> bool:
        """Whether the next multiple of ``period`` seconds has been reached."""
        if self._next_time < trainer.elapsed_time:
            self._next_time += self.period
            return True
        return False

    def serialize(self, serializer: Any) -> None:
        """Save or load the time of the next firing."""
        self._next_time = serializer("next_time", self._next_time)
