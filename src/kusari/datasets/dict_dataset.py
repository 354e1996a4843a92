"""DictDataset: combine equal-length datasets into a dataset of dicts.

Example:
    >>> ds = DictDataset(x=[1, 2], y=['a', 'b'])
    >>> ds[0]
    {'x': 1, 'y': 'a'}
"""

from __future__ import annotations

from typing import Any

import numpy


class DictDataset:
    """Dataset whose ``i``-th example is ``{key: datasets[key][i]}``.

    Args:
        **datasets: Sequences of the same length, by key.

    Raises:
        ValueError: No dataset is given, or the lengths differ.
    """

    def __init__(self, **datasets: Any) -> None:
        if not datasets:
            raise ValueError("DictDataset: no datasets are given")
        length = None
        for key, dataset in datasets.items():
            if length is None:
                length = len(dataset)
            elif len(dataset) != length:
                raise ValueError(
                    f"DictDataset: dataset {key!r} has length {len(dataset)}, expected {length}"
                )
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index: Any) -> Any:
        """A dict of fields; a list of dicts for a slice or index list."""
        batches = {key: dataset[index] for key, dataset in self._datasets.items()}
        if isinstance(index, (slice, list, numpy.ndarray)):
            length = len(next(iter(batches.values())))
            return [{key: batch[i] for key, batch in batches.items()} for i in range(length)]
        return batches

    def __len__(self) -> int:
        return self._length
