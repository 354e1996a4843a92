"""ObservationAggregator: the mean of an observed value over all processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari.training import extension
from kusari.training.triggers import get_trigger
from kusari.variable import Variable


def _average_2d(xs: list) -> Any:
    flat = [v for part in xs for v in part]
    return sum(flat) / len(flat)


def _to_host(value: Any) -> Any:
    if isinstance(value, Variable):
        value = value.array
    if hasattr(value, "get") and not hasattr(value, "keys"):  # a CuPy array
        value = value.get()
    return value


class ObservationAggregator(extension.Extension):
    """Put the mean of ``original_key`` over all processes into the observation.

    Each iteration the local value is recorded; when ``comm_trigger`` fires, the values
    recorded by every process since the last time are gathered at rank 0, reduced with
    ``aggregator`` and broadcast, and stored as ``aggregated_key``.

    Args:
        comm: A kusari.mn communicator.
        original_key: Observation key to aggregate.
        aggregated_key: Key to store the result under (``original_key`` when None).
        comm_trigger: When to communicate.
        aggregator: ``f(list_of_lists) -> value``; the mean of all values by default.
    """

    trigger = 1, "iteration"
    priority = extension.PRIORITY_EDITOR
    name = None

    def __init__(self, comm: Any, original_key: str, aggregated_key: str | None = None, *,
                 comm_trigger: Any = (1, "iteration"),
                 aggregator: Callable[[list], Any] | None = None) -> None:
        self.comm = comm
        self.original_key = original_key
        self.aggregated_key = original_key if aggregated_key is None else aggregated_key
        self.comm_trigger = get_trigger(comm_trigger)
        self.observation_history: list = []
        self.aggregator = aggregator or _average_2d

    def compute_summary(self, trainer: Any) -> Any:
        """The aggregated value when ``comm_trigger`` fires, else None."""
        if self.original_key in trainer.observation:
            self.observation_history.append(_to_host(trainer.observation[self.original_key]))
        if not self.comm_trigger(trainer):
            return None
        gathered = self.comm.gather_obj(self.observation_history)
        self.observation_history = []
        summary = None
        if self.comm.rank == 0:
            parts = [p for p in gathered if p]
            summary = self.aggregator(parts) if parts else None
        return self.comm.bcast_obj(summary)

    def __call__(self, trainer: Any) -> None:
        summary = self.compute_summary(trainer)
        if summary is not None:
            trainer.observation[self.aggregated_key] = summary
