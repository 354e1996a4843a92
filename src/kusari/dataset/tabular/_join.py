"""The dataset returned by ``TabularDataset.join``: columns of several datasets side by side.

Example:
    >>> from kusari.dataset import tabular
    >>> a = tabular.from_data(('x', [0, 1]))
    >>> b = tabular.from_data({'y': [2, 3], 'z': [4, 5]})
    >>> a.join(b).mode, a.join(b).keys
    (<class 'dict'>, ('x', 'y', 'z'))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari.dataset.tabular.tabular_dataset import TabularDataset


class _Join(TabularDataset):
    """``datasets`` (same length, distinct keys) joined along the columns."""

    def __init__(self, *datasets: TabularDataset) -> None:
        seen = set(datasets[0].keys)
        for dataset in datasets[1:]:
            if len(dataset) != len(datasets[0]):
                raise ValueError("All datasets must have the same length")
            if seen.intersection(dataset.keys):
                raise ValueError("All keys must be unique among all datasets")
            seen.update(dataset.keys)
        self._datasets = datasets

    def __len__(self) -> int:
        return len(self._datasets[0])

    @property
    def keys(self) -> tuple[Any, ...]:
        return tuple(key for dataset in self._datasets for key in dataset.keys)

    @property
    def mode(self) -> type | None:
        for dataset in self._datasets:
            if dataset.mode:
                return dataset.mode
        return tuple

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        if key_indices is None:
            return tuple(
                col for dataset in self._datasets for col in dataset.get_examples(indices, None)
            )
        columns: dict[int, Any] = {}
        offset = 0
        for dataset in self._datasets:
            n_keys = len(dataset.keys)
            # The requested columns that this dataset holds, each asked for once.
            local = tuple(
                dict.fromkeys(k - offset for k in key_indices if 0 <= k - offset < n_keys)
            )
            if local:
                for k, col in zip(local, dataset.get_examples(indices, local)):
                    columns[offset + k] = col
            offset += n_keys
        return tuple(columns[k] for k in key_indices)

    def convert(self, data: Any) -> Any:
        return self._datasets[0].convert(data)
