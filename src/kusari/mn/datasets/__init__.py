"""Datasets for data-parallel training: scattering shards and empty stand-ins."""

from typing import Any

from kusari.mn.datasets.scatter import (
    DataSizeError,
    get_epoch_trigger,
    get_n_iterations_for_one_epoch,
    scatter_dataset,
    scatter_index,
)


def create_empty_dataset(dataset: Any) -> list:
    """A dataset of ``len(dataset)`` empty tuples (for ranks that only need the length)."""
    return [()] * len(dataset)


__all__ = ["DataSizeError", "create_empty_dataset", "get_epoch_trigger",
           "get_n_iterations_for_one_epoch", "scatter_dataset", "scatter_index"]
