"""TupleDataset: zip equal-length datasets into a dataset of tuples.

Example:
    >>> import numpy
    >>> ds = TupleDataset(numpy.arange(3), ['a', 'b', 'c'])
    >>> x, label = ds[1]
    >>> int(x), label
    (1, 'b')
    >>> [(int(a), b) for a, b in ds[:2]]
    [(0, 'a'), (1, 'b')]
"""

from __future__ import annotations

from typing import Any

import numpy


class TupleDataset:
    """Dataset whose ``i``-th example is ``(d0[i], d1[i], ...)``.

    Args:
        *datasets: Sequences (arrays, lists, datasets) of the same length.

    Raises:
        ValueError: No dataset is given, or the lengths differ.
    """

    def __init__(self, *datasets: Any) -> None:
        if not datasets:
            raise ValueError("TupleDataset: no datasets are given")
        length = len(datasets[0])
        for i, dataset in enumerate(datasets):
            if len(dataset) != length:
                raise ValueError(
                    f"TupleDataset: dataset {i} has length {len(dataset)}, "
                    f"expected {length} (the length of dataset 0)"
                )
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index: Any) -> Any:
        """``(d0[index], d1[index], ...)``; a list of tuples for a slice or index list."""
        batches = [dataset[index] for dataset in self._datasets]
        if isinstance(index, (slice, list, numpy.ndarray)):
            return list(zip(*batches))
        return tuple(batches)

    def __len__(self) -> int:
        return self._length
