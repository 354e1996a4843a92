"""MicroAverage: the ratio of two sums over an interval (e.g. accuracy over examples)."""

from __future__ import annotations

from typing import Any

from kusari.training import _optional, extension
from kusari.training import trigger as trigger_module

__all__ = ["MicroAverage"]


class MicroAverage(extension.Extension):
    """Report ``sum(numerator) / sum(denominator)`` over each interval.

    Unlike LogReport's mean of per-batch ratios, this weighs every example equally when
    batches differ in size: report the number of correct answers and the batch size, and
    get the accuracy over all examples.

    Args:
        numerator_key: Observation key of the numerators.
        denominator_key: Observation key of the denominators.
        result_key: Observation key the ratio is written to.
        trigger: Interval of the ratios.

    Example:
        >>> # trainer.extend(MicroAverage('main/correct', 'main/total', 'main/accuracy'))
        >>> MicroAverage('c', 't', 'a').priority
        200
    """

    priority = extension.PRIORITY_EDITOR

    def __init__(
        self,
        numerator_key: str,
        denominator_key: str,
        result_key: str,
        trigger: Any = (1, "epoch"),
    ) -> None:
        self._numerator_key = numerator_key
        self._denominator_key = denominator_key
        self._result_key = result_key
        self._trigger = trigger_module.get_trigger(trigger)
        self._numerator: Any = 0
        self._denominator: Any = 0

    def __call__(self, trainer: Any) -> None:
        """Accumulate; at the end of an interval, write the ratio into the observation."""
        observation = trainer.observation
        if self._numerator_key in observation and self._denominator_key in observation:
            self._numerator += _array(observation[self._numerator_key])
            self._denominator += _array(observation[self._denominator_key])
        if self._trigger(trainer):
            observation[self._result_key] = self._numerator / self._denominator
            self._numerator = self._denominator = 0

    def serialize(self, serializer: Any) -> None:
        """Save or load the trigger and the running sums."""
        _optional.child(self._trigger, serializer, "_trigger")
        self._numerator = serializer("_numerator", self._numerator)
        self._denominator = serializer("_denominator", self._denominator)


def _array(value: Any) -> Any:
    return getattr(value, "array", value)
