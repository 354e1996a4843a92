"""MultiprocessParallelUpdater: Chainer's name, without an implementation yet."""

from __future__ import annotations

from typing import Any

from kusari.training.updaters.standard_updater import StandardUpdater

__all__ = ["MultiprocessParallelUpdater"]


class MultiprocessParallelUpdater(StandardUpdater):
    """One process per GPU with NCCL all-reduce, as in Chainer: not implemented in kusari.

    Use :class:`~kusari.training.updaters.ParallelUpdater` (one process, several devices) or
    ``kusari.mn`` (one process per device, MPI) instead.

    Raises:
        NotImplementedError: Always.

    Example:
        >>> MultiprocessParallelUpdater.available()
        False
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "MultiprocessParallelUpdater is not implemented in kusari; use "
            "training.updaters.ParallelUpdater (several devices in one process) or "
            "kusari.mn (one process per device) instead"
        )

    @staticmethod
    def available() -> bool:
        """Whether this updater can be used: never, in kusari."""
        return False
