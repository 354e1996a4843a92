"""Trigger firing at given iterations or epochs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari.training import _optional
from kusari.training.triggers.interval_trigger import _check_unit

__all__ = ["ManualScheduleTrigger"]


class ManualScheduleTrigger:
    """Fire when training passes one of ``points``.

    Args:
        points: One point or a sequence of points (iterations or, possibly fractional,
            epochs).
        unit: ``'iteration'`` or ``'epoch'``.

    Raises:
        ValueError: If ``unit`` is unknown.

    Example:
        >>> t = ManualScheduleTrigger([10, 20], 'iteration')
        >>> t.finished
        False
    """

    def __init__(self, points: int | float | Sequence[int | float], unit: str) -> None:
        _check_unit("ManualScheduleTrigger", unit)
        if isinstance(points, (int, float)):
            points = [points]
        self.points = list(points)
        self.unit = unit
        self.finished = False
        self._previous_iteration = 0
        self._previous_epoch_detail = 0.0

    def __call__(self, trainer: Any) -> bool:
        """Whether a point lies in ``(previous position, current position]``."""
        updater = trainer.updater
        if self.unit == "epoch":
            previous, now = self._previous_epoch_detail, updater.epoch_detail
        else:
            previous, now = self._previous_iteration, updater.iteration
        fire = any(previous < p <= now for p in self.points)
        self.finished = now >= max(self.points)
        self._previous_iteration = updater.iteration
        self._previous_epoch_detail = updater.epoch_detail
        return fire

    def serialize(self, serializer: Any) -> None:
        """Save or load the position of the previous call."""
        self._previous_iteration = _optional.value(
            serializer, "previous_iteration", self._previous_iteration
        )
        self._previous_epoch_detail = _optional.value(
            serializer, "previous_epoch_detail", self._previous_epoch_detail
        )
        self.finished = bool(_optional.value(serializer, "finished", self.finished))
