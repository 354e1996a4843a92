"""Views that only change the mode: ``TabularDataset.astuple()`` and ``asdict()``.

Example:
    >>> from kusari.dataset import tabular
    >>> tabular.from_data(('a', [1, 2])).asdict().fetch()
    {'a': [1, 2]}
"""

from __future__ import annotations

from typing import Any

from kusari.dataset.tabular.delegate_dataset import DelegateDataset
from kusari.dataset.tabular.tabular_dataset import TabularDataset


class _AsMode(DelegateDataset):
    """``dataset`` seen with a fixed mode (``tuple`` or ``dict``)."""

    def __init__(self, dataset: TabularDataset, mode: type) -> None:
        super().__init__(dataset)
        self._mode = mode

    @property
    def mode(self) -> type:
        return self._mode

    def convert(self, data: Any) -> Any:
        return self.dataset.convert(data)
