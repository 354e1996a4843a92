"""``get_trigger``: turn a trigger specification into a trigger callable."""

from __future__ import annotations

from typing import Any

from kusari.training.triggers.interval_trigger import IntervalTrigger

__all__ = ["get_trigger"]


def _never_fire_trigger(trainer: Any) -> bool:
    return False


def get_trigger(trigger: Any) -> Any:
    """Normalize a trigger specification.

    Args:
        trigger: A callable (returned as is), None (a trigger that never fires) or a
            ``(period, unit)`` tuple (an :class:`IntervalTrigger`).

    Returns:
        A callable ``trigger(trainer) -> bool``.

    Raises:
        TypeError: If ``trigger`` is none of these.

    Example:
        >>> get_trigger((5, 'epoch')).get_training_length()
        (5, 'epoch')
    """
    if callable(trigger):
        return trigger
    if trigger is None:
        return _never_fire_trigger
    if isinstance(trigger, (tuple, list)) and len(trigger) == 2:
        return IntervalTrigger(*trigger)
    raise TypeError(
        f"get_trigger: trigger must be a callable, None or a (period, unit) tuple, got {trigger!r}"
    )
