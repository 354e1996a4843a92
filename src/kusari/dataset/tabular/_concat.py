"""The dataset returned by ``TabularDataset.concat``: rows of several datasets in turn.

Example:
    >>> from kusari.dataset import tabular
    >>> a = tabular.from_data(('x', [0, 1, 2]))
    >>> b = tabular.from_data(('x', [3, 4]))
    >>> a.concat(b).slice[::-2].fetch()
    [4, 2, 0]
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from kusari.dataset.tabular._slice import _range_to_slice
from kusari.dataset.tabular.tabular_dataset import TabularDataset


class _Concat(TabularDataset):
    """``datasets`` (same keys) stacked along the rows."""

    def __init__(self, *datasets: TabularDataset) -> None:
        for dataset in datasets[1:]:
            if dataset.keys != datasets[0].keys:
                raise ValueError("All datasets must have the same keys")
        self._datasets = datasets

    def __len__(self) -> int:
        return sum(len(dataset) for dataset in self._datasets)

    @property
    def keys(self) -> tuple[Any, ...]:
        return self._datasets[0].keys

    @property
    def mode(self) -> type | None:
        return self._datasets[0].mode

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        n_cols = len(self.keys) if key_indices is None else len(key_indices)
        if indices is None:
            parts = [dataset.get_examples(None, key_indices) for dataset in self._datasets]
            return _chain(parts, n_cols)
        if isinstance(indices, slice):
            return self._get_slice(indices, key_indices, n_cols)
        return self._get_list(indices, key_indices, n_cols)

    def _get_slice(self, indices: slice, key_indices: Any, n_cols: int) -> tuple:
        wanted = range(*indices.indices(len(self)))
        step = wanted.step
        parts = []
        offset = 0
        for dataset in self._datasets:
            end = offset + len(dataset)
            # The part of ``wanted`` inside [offset, end), as a sub-range.
            if step > 0:
                lo = len(range(wanted.start, min(offset, wanted.stop), step))
                hi = len(range(wanted.start, min(end, wanted.stop), step))
            else:
                lo = len(range(wanted.start, max(end - 1, wanted.stop), step))
                hi = len(range(wanted.start, max(offset - 1, wanted.stop), step))
            local = wanted[lo:hi]
            if len(local) > 0:
                rows = range(local.start - offset, local.stop - offset, step)
                parts.append(dataset.get_examples(_range_to_slice(rows), key_indices))
            offset = end
        if step < 0:
            parts.reverse()
        if len(parts) == 1:
            return parts[0]
        return _chain(parts, n_cols)

    def _get_list(self, indices: Sequence[int], key_indices: Any, n_cols: int) -> tuple:
        total = len(self)
        starts = []
        offset = 0
        for dataset in self._datasets:
            starts.append(offset)
            offset += len(dataset)
        # For each requested row: (which dataset, position among that dataset's rows).
        sub_rows: list[list[int]] = [[] for _ in self._datasets]
        where = []
        for index in indices:
            i = int(index)
            if i < 0:
                i += total
            if not 0 <= i < total:
                raise IndexError(
                    f"index {int(index)} is out of bounds for dataset with size {total}"
                )
            d = bisect.bisect_right(starts, i) - 1  # the last dataset starting at or before i
            where.append((d, len(sub_rows[d])))
            sub_rows[d].append(i - starts[d])
        fetched = {
            d: self._datasets[d].get_examples(rows, key_indices)
            for d, rows in enumerate(sub_rows)
            if rows
        }
        if not fetched:
            return tuple([] for _ in range(n_cols))
        if len(fetched) == 1:
            return next(iter(fetched.values()))
        return tuple([fetched[d][c][p] for d, p in where] for c in range(n_cols))

    def convert(self, data: Any) -> Any:
        return self._datasets[0].convert(data)


def _chain(parts: list[tuple], n_cols: int) -> tuple:
    """Column-wise concatenation of column-major parts, as lists."""
    return tuple([v for part in parts for v in part[c]] for c in range(n_cols))
