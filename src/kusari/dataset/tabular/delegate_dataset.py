"""DelegateDataset: a TabularDataset that forwards to another one.

Example:
    >>> from kusari.dataset import tabular
    >>> len(DelegateDataset(tabular.from_data([1, 2, 3])))
    3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari.dataset.tabular.tabular_dataset import TabularDataset


class DelegateDataset(TabularDataset):
    """A :class:`TabularDataset` that forwards ``len``, ``keys``, ``mode`` and
    ``get_examples`` to ``dataset``; subclass it to build a custom dataset.

    Args:
        dataset: The underlying dataset, kept as ``self.dataset``.

    Example:
        >>> import numpy as np
        >>> from kusari.dataset import tabular
        >>> class MyDataset(tabular.DelegateDataset):
        ...     def __init__(self):
        ...         super().__init__(tabular.from_data((
        ...             ('a', np.arange(3)),
        ...             ('b', self.get_b),
        ...             (('c', 'd'), self.get_cd))))
        ...     def get_b(self, i):
        ...         return f'b[{i}]'
        ...     def get_cd(self, i):
        ...         return {'c': i * 10, 'd': -i}
        >>> ds = MyDataset()
        >>> ds.keys
        ('a', 'b', 'c', 'd')
        >>> a, b, c, d = ds[2]
        >>> int(a), b, c, d
        (2, 'b[2]', 20, -2)
    """

    def __init__(self, dataset: TabularDataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    @property
    def keys(self) -> tuple[Any, ...]:
        return self.dataset.keys

    @property
    def mode(self) -> type | None:
        return self.dataset.mode

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        return self.dataset.get_examples(indices, key_indices)
