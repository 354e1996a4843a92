"""ConcatenatedDataset: several datasets one after another.

Example:
    >>> ds = ConcatenatedDataset([1, 2], [3])
    >>> len(ds), ds[2], ds[-1]
    (3, 3, 3)
"""

from __future__ import annotations

import bisect
import itertools
from typing import Any

from kusari.dataset import dataset_mixin


class ConcatenatedDataset(dataset_mixin.DatasetMixin):
    """Dataset made of ``datasets[0]``, then ``datasets[1]``, and so on.

    Args:
        *datasets: The datasets to concatenate.
    """

    def __init__(self, *datasets: Any) -> None:
        self._datasets = datasets
        self._ends = list(itertools.accumulate(len(d) for d in datasets))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def get_example(self, i: int) -> Any:
        """The ``i``-th example of the concatenation (negative ``i`` counts from the end).

        Raises:
            IndexError: ``i`` is out of range.
        """
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"ConcatenatedDataset: index {i} out of range for length {n}")
        k = bisect.bisect_right(self._ends, i)
        start = self._ends[k - 1] if k else 0
        return self._datasets[k][i - start]
