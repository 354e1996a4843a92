"""Base of the extensions that schedule an optimizer hyperparameter (``lr``...)."""

from __future__ import annotations

from typing import Any

from kusari.training import _optional, extension


class _Shift(extension.Extension):
    """Set ``optimizer.<attr>`` to ``value(t)`` after the ``t``-th call.

    Subclasses define :meth:`_value`. ``initialize`` applies ``value(0)`` (or, when resuming,
    the last value set), so the schedule starts before the first update.
    """

    def __init__(self, attr: str, optimizer: Any = None) -> None:
        self._attr = attr
        self._optimizer = optimizer
        self._t = 0
        self._last_value: float | None = None

    def _get_optimizer(self, trainer: Any) -> Any:
        return self._optimizer or trainer.updater.get_optimizer("main")

    def _value(self, t: int) -> float:
        raise NotImplementedError

    def _init_from(self, optimizer: Any) -> None:
        """Hook: read defaults (e.g. ``init``) from the optimizer."""

    def initialize(self, trainer: Any) -> None:
        """Apply the schedule's current value before training (or after resuming)."""
        optimizer = self._get_optimizer(trainer)
        self._init_from(optimizer)
        value = self._value(self._t) if self._last_value is None else self._last_value
        self._update_value(optimizer, value)

    def __call__(self, trainer: Any) -> None:
        """Advance the schedule by one step and set the new value."""
        self._t += 1
        self._update_value(self._get_optimizer(trainer), self._value(self._t))

    def _update_value(self, optimizer: Any, value: float) -> None:
        setattr(optimizer, self._attr, value)
        self._last_value = value

    def serialize(self, serializer: Any) -> None:
        """Save or load the step count ``_t`` and the last value set."""
        self._t = int(serializer("_t", self._t))
        last = _optional.value(serializer, "_last_value", self._last_value)
        self._last_value = last.item() if hasattr(last, "item") else last


def _clip(value: float, target: float | None, increasing: bool) -> float:
    """Stop ``value`` at ``target`` (from below when ``increasing``, else from above)."""
    if target is None:
        return value
    return min(value, target) if increasing else max(value, target)


class _InitShift(_Shift):
    """A shift whose base value ``init`` defaults to the optimizer's current value."""

    def __init__(
        self, attr: str, init: float | None, target: float | None, optimizer: Any
    ) -> None:
        super().__init__(attr, optimizer)
        self._init = init
        self._target = target

    def _init_from(self, optimizer: Any) -> None:
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
