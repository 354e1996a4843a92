"""TransformDataset: apply a function to each example on access.

Example:
    >>> ds = TransformDataset([1, 2, 3], lambda x: x * 10)
    >>> ds[2], len(ds)
    (30, 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari.dataset import dataset_mixin


class TransformDataset(dataset_mixin.DatasetMixin):
    """Dataset that returns ``transform(dataset[i])``, computed lazily (data augmentation).

    Args:
        dataset: The underlying dataset.
        transform: A function applied to each example.
    """

    def __init__(self, dataset: Any, transform: Callable[[Any], Any]) -> None:
        self._dataset = dataset
        self._transform = transform

    def __len__(self) -> int:
        return len(self._dataset)

    def get_example(self, i: int) -> Any:
        """``transform(dataset[i])``."""
        return self._transform(self._dataset[i])
