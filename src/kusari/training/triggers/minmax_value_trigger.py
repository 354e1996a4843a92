"""Triggers firing when a reported value reaches a new best."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from kusari import reporter
from kusari.training.triggers._get_trigger import get_trigger

__all__ = ["BestValueTrigger", "MaxValueTrigger", "MinValueTrigger"]


class BestValueTrigger:
    """Fire when the mean of ``key`` over an interval beats the best mean so far.

    Args:
        key: Observation key to watch, e.g. ``'validation/main/loss'``.
        compare: ``compare(best, new)`` is True when ``new`` is better.
        trigger: Interval over which the value is averaged and compared.

    Example:
        >>> t = BestValueTrigger('main/loss', lambda best, new: new < best)
        >>> t.best_value is None
        True
    """

    def __init__(
        self, key: str, compare: Callable[[float, float], bool], trigger: Any = (1, "epoch")
    ) -> None:
        self._key = key
        self._compare = compare
        self._interval_trigger = get_trigger(trigger)
        self._summary = reporter.DictSummary()
        self.best_value: float | None = None

    def __call__(self, trainer: Any) -> bool:
        """Accumulate the value; at the end of an interval, whether it is a new best."""
        observation = trainer.observation
        if self._key in observation:
            self._summary.add({self._key: observation[self._key]})
        if not self._interval_trigger(trainer):
            return False
        stats = self._summary.compute_mean()
        self._summary = reporter.DictSummary()
        if self._key not in stats:
            return False
        value = float(stats[self._key])
        if self.best_value is None or self._compare(self.best_value, value):
            self.best_value = value
            return True
        return False

    def serialize(self, serializer: Any) -> None:
        """Save or load the interval trigger, the running summary and the best value."""
        if hasattr(self._interval_trigger, "serialize"):
            self._interval_trigger.serialize(serializer["interval_trigger"])
        self._summary.serialize(serializer["summary"])
        best = serializer(
            "best_value", float("nan") if self.best_value is None else self.best_value
        )
        self.best_value = None if best != best else float(best)  # NaN marks "none yet"


class MaxValueTrigger(BestValueTrigger):
    """Fire when the interval mean of ``key`` is the largest so far.

    Args:
        key: Observation key to watch.
        trigger: Interval over which the value is averaged.

    Example:
        >>> MaxValueTrigger('validation/main/accuracy', (1, 'epoch')).best_value is None
        True
    """

    def __init__(self, key: str, trigger: Any = (1, "epoch")) -> None:
        super().__init__(key, operator.lt, trigger)


class MinValueTrigger(BestValueTrigger):
    """Fire when the interval mean of ``key`` is the smallest so far.

    Args:
        key: Observation key to watch.
        trigger: Interval over which the value is averaged.

    Example:
        >>> MinValueTrigger('validation/main/loss').best_value is None
        True
    """

    def __init__(self, key: str, trigger: Any = (1, "epoch")) -> None:
        super().__init__(key, operator.gt, trigger)
