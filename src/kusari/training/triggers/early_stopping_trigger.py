"""Stop trigger ending training when a monitored value stops improving."""

from __future__ import annotations

import operator
from typing import Any

from kusari import reporter
from kusari.training import _optional
from kusari.training.triggers._get_trigger import get_trigger

__all__ = ["EarlyStoppingTrigger"]


class EarlyStoppingTrigger:
    """Fire (stop training) after ``patience`` checks without improvement, or at the end.

    Args:
        check_trigger: When to compare the monitored mean with the best so far.
        monitor: Observation key to watch.
        patience: Number of checks without improvement tolerated (default 3).
        mode: ``'min'``, ``'max'`` or ``'auto'`` (``'max'`` if the key contains
            ``'accuracy'``, else ``'min'``).
        verbose: Print a line when stopping early.
        max_trigger: Stop here in any case.

    Raises:
        ValueError: If ``mode`` or ``patience`` is invalid.

    Example:
        >>> t = EarlyStoppingTrigger(monitor='validation/main/loss', patience=2)
        >>> t.get_training_length()
        (100, 'epoch')
    """

    def __init__(
        self,
        check_trigger: Any = (1, "epoch"),
        monitor: str = "main/loss",
        patience: int | None = None,
        mode: str = "auto",
        verbose: bool = False,
        max_trigger: Any = (100, "epoch"),
        **kwargs: Any,
    ) -> None:
        if "patients" in kwargs:  # Chainer's old spelling
            patience = kwargs.pop("patients")
        if kwargs:
            raise TypeError(f"EarlyStoppingTrigger: unexpected arguments {sorted(kwargs)}")
        patience = 3 if patience is None else patience
        if patience < 0:
            raise ValueError(f"EarlyStoppingTrigger: patience must be >= 0, got {patience}")
        if mode == "auto":
            mode = "max" if "accuracy" in monitor else "min"
        if mode not in ("min", "max"):
            raise ValueError(
                f"EarlyStoppingTrigger: mode must be 'min', 'max' or 'auto', got {mode!r}"
            )
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.count = 0
        self._compare = operator.gt if mode == "max" else operator.lt
        self.best = float("-inf") if mode == "max" else float("inf")
        self.check_trigger = get_trigger(check_trigger)
        self.max_trigger = get_trigger(max_trigger)
        self._summary = reporter.DictSummary()

    def __call__(self, trainer: Any) -> bool:
        """Whether training should stop now."""
        observation = trainer.observation
        if self.monitor in observation:
            self._summary.add({self.monitor: observation[self.monitor]})
        if self.max_trigger(trainer):
            return True
        if not self.check_trigger(trainer):
            return False
        stats = self._summary.compute_mean()
        self._summary = reporter.DictSummary()
        if self.monitor not in stats:
            return False
        value = float(stats[self.monitor])
        if self._compare(value, self.best):
            self.best = value
            self.count = 0
        else:
            self.count += 1
        if self.count >= self.patience:
            if self.verbose:
                print(f"Epoch {trainer.updater.epoch}: early stopping")
            return True
        return False

    def get_training_length(self) -> Any:
        """The length of ``max_trigger``."""
        return self.max_trigger.get_training_length()

    def serialize(self, serializer: Any) -> None:
        """Save or load the counters, best value, summary and inner triggers."""
        self.count = _optional.value(serializer, "count", self.count)
        self.best = _optional.value(serializer, "best", self.best)
        _optional.child(self._summary, serializer, "summary")
        _optional.child(self.check_trigger, serializer, "check_trigger")
        _optional.child(self.max_trigger, serializer, "max_trigger")
