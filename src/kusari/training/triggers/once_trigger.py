"""Trigger firing only once."""

from __future__ import annotations

from typing import Any

__all__ = ["OnceTrigger"]


class OnceTrigger:
    """Fire at the first call, and also at the first call after resuming if asked.

    Args:
        call_on_resume: Fire again once after the trainer is restored from a snapshot.

    Example:
        >>> t = OnceTrigger()
        >>> t(None), t(None)
        (True, False)
    """

    def __init__(self, call_on_resume: bool = False) -> None:
        self._flag_first = True
        self._flag_resumed = call_on_resume

    @property
    def finished(self) -> bool:
        """True once the trigger can no longer fire."""
        return not (self._flag_first or self._flag_resumed)

    def __call__(self, trainer: Any) -> bool:
        """True at the first call (and after a resume with ``call_on_resume``)."""
        fire = self._flag_first or self._flag_resumed
        self._flag_first = self._flag_resumed = False
        return fire

    def serialize(self, serializer: Any) -> None:
        """Save or load whether the trigger has fired."""
        self._flag_first = bool(serializer("_flag_first", self._flag_first))
