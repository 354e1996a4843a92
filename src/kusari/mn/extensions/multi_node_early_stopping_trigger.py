"""MultiNodeEarlyStoppingTrigger: early stopping on which every process agrees."""

from __future__ import annotations

from typing import Any

from kusari.mn.extensions.observation_aggregator import ObservationAggregator
from kusari.training.triggers import EarlyStoppingTrigger


class MultiNodeEarlyStoppingTrigger:
    """:class:`~kusari.training.triggers.EarlyStoppingTrigger` on the mean over processes.

    At every check the monitored value is averaged over all processes (with an
    :class:`ObservationAggregator`) before being compared, so every process sees the
    same value and stops at the same iteration. Use it as the trainer's stop trigger on
    every process.

    Args:
        comm: A kusari.mn communicator.
        check_trigger: When to compare (``(n, 'epoch')`` or ``(n, 'iteration')``).
        monitor: Observation key to watch.
        patience: Checks without improvement tolerated (``patients`` is accepted too).
        mode: ``'min'``, ``'max'`` or ``'auto'``.
        verbose: Print a line when stopping.
        max_trigger: Stop here in any case.
        suffix: Appended to ``monitor`` to name the aggregated value.
    """

    def __init__(self, comm: Any, *, check_trigger: Any = (1, "epoch"),
                 monitor: str = "main/loss", patience: int | None = None, mode: str = "auto",
                 verbose: bool = False, max_trigger: Any = (100, "epoch"),
                 suffix: str = "_aggregated", **kwargs: Any) -> None:
        aggregated = monitor + suffix
        if mode == "auto":
            mode = "max" if "accuracy" in monitor else "min"
        self.actual_trigger = EarlyStoppingTrigger(
            check_trigger=check_trigger, monitor=aggregated, patience=patience, mode=mode,
            verbose=verbose, max_trigger=max_trigger, **kwargs)
        self.aggregator = ObservationAggregator(comm, monitor, aggregated_key=aggregated,
                                                comm_trigger=check_trigger)

    def __call__(self, trainer: Any) -> bool:
        """Whether to stop now (the same answer on every process)."""
        self.aggregator(trainer)
        return self.actual_trigger(trainer)

    def get_training_length(self) -> Any:
        return self.actual_trigger.get_training_length()

    def serialize(self, serializer: Any) -> None:
        self.actual_trigger.serialize(serializer)
