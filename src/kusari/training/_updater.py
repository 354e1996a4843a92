"""Interface of updaters: the objects that run one training step."""

from __future__ import annotations

from typing import Any

__all__ = ["Updater"]


class Updater:
    """Base of updaters.

    An updater owns the iterators and optimizers, runs one update per :meth:`update` call
    and counts ``iteration``; ``epoch``, ``epoch_detail`` and ``is_new_epoch`` describe the
    progress through the dataset.
    """

    iteration = 0

    def connect_trainer(self, trainer: Any) -> None:
        """Called by the trainer once it owns this updater (e.g. to add observers)."""

    def finalize(self) -> None:
        """Release resources (iterators) after training."""

    def get_optimizer(self, name: str) -> Any:
        """The optimizer registered as ``name``."""
        raise NotImplementedError

    def get_all_optimizers(self) -> dict[str, Any]:
        """All optimizers, by name."""
        raise NotImplementedError

    def update(self) -> None:
        """Run one update and advance ``iteration``."""
        raise NotImplementedError

    def serialize(self, serializer: Any) -> None:
        """Save or load the updater's state."""
        raise NotImplementedError
