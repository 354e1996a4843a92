"""observe_value and observe_lr: put a value into the observation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari.training import extension

__all__ = ["observe_value", "observe_lr"]


def observe_value(observation_key: str, target_func: Callable[[Any], Any]) -> Callable:
    """An extension writing ``target_func(trainer)`` to ``observation[observation_key]``.

    Args:
        observation_key: Key in the observation.
        target_func: Function of the trainer returning the value.

    Returns:
        The extension (trigger ``(1, 'epoch')``, priority ``PRIORITY_WRITER``).

    Example:
        >>> ext = observe_value('t', lambda trainer: trainer.updater.iteration)
        >>> ext.priority
        300
    """

    @extension.make_extension(trigger=(1, "epoch"), priority=extension.PRIORITY_WRITER)
    def _observe_value(trainer: Any) -> None:
        trainer.observation[observation_key] = target_func(trainer)

    return _observe_value


def observe_lr(optimizer_name: str = "main", observation_key: str = "lr") -> Callable:
    """An extension recording the learning rate ``optimizer.lr``.

    Args:
        optimizer_name: Name of the optimizer in the updater.
        observation_key: Key in the observation.

    Returns:
        The extension (trigger ``(1, 'epoch')``).

    Example:
        >>> observe_lr().trigger
        (1, 'epoch')
    """
    return observe_value(
        observation_key, lambda trainer: trainer.updater.get_optimizer(optimizer_name).lr
    )
