"""A :class:`~kusari.training.Trainer` driven by a mock updater, for testing extensions."""

from __future__ import annotations

import unittest.mock
from typing import Any


def is_available() -> bool:
    """Whether mocks are available (always: ``unittest.mock`` is in the standard library)."""
    return True


def check_available() -> None:
    """Raise nothing: ``unittest.mock`` is always available."""


def get_error() -> None:
    return None


def get_trainer_with_mock_updater(stop_trigger: Any = (10, "iteration"),
                                  iter_per_epoch: int = 10,
                                  extensions: list | None = None) -> Any:
    """A trainer whose updater is a mock that only counts iterations and epochs.

    ``updater.update()`` calls ``updater.update_core()`` (a mock, so tests can count
    calls) and advances ``iteration``, ``epoch``, ``epoch_detail``, ``is_new_epoch`` and
    ``previous_epoch_detail`` as a real updater with ``iter_per_epoch`` iterations per
    epoch would.

    Args:
        stop_trigger: The trainer's stop trigger.
        iter_per_epoch: Iterations per epoch.
        extensions: Extensions to register.

    Returns:
        A :class:`~kusari.training.Trainer`.

    Example:
        >>> trainer = get_trainer_with_mock_updater((3, 'iteration'))
        >>> trainer.run()
        >>> trainer.updater.iteration, trainer.updater.update_core.call_count
        (3, 3)
    """
    from kusari import training

    updater = unittest.mock.Mock()
    updater.get_all_optimizers.return_value = {}
    updater.iteration = 0
    updater.epoch = 0
    updater.epoch_detail = 0
    updater.is_new_epoch = True
    updater.previous_epoch_detail = None

    def update() -> None:
        updater.update_core()
        updater.iteration += 1
        updater.epoch = updater.iteration // iter_per_epoch
        updater.epoch_detail = updater.iteration / iter_per_epoch
        updater.is_new_epoch = (updater.iteration - 1) // iter_per_epoch != updater.epoch
        updater.previous_epoch_detail = (updater.iteration - 1) / iter_per_epoch

    updater.update = update
    return training.Trainer(updater, stop_trigger, extensions=extensions or [])
