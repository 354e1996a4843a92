"""The view returned by ``TabularDataset.with_converter``.

Example:
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data(([1, 2], [3, 4])).with_converter(lambda a, b: a + b)
    >>> ds.convert(ds.fetch())
    [1, 2, 3, 4]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari.dataset.tabular.delegate_dataset import DelegateDataset
from kusari.dataset.tabular.tabular_dataset import TabularDataset


class _WithConverter(DelegateDataset):
    """``dataset`` with :meth:`convert` replaced by ``converter``."""

    def __init__(self, dataset: TabularDataset, converter: Callable[..., Any]) -> None:
        super().__init__(dataset)
        self._converter = converter

    def convert(self, data: Any) -> Any:
        if isinstance(data, tuple):
            return self._converter(*data)
        if isinstance(data, dict):
            return self._converter(**data)
        return self._converter(data)
