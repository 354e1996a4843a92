"""Tabular datasets: ``from_data``, ``DelegateDataset`` and the views of a TabularDataset.

Example:
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data({'x': [1, 2, 3], 'y': [4, 5, 6]})
    >>> ds.slice[1:, 'y'].fetch()
    [5, 6]
"""

from kusari.dataset.tabular import (
    _asmode,
    _concat,
    _join,
    _slice,
    _transform,
    _with_converter,
)
from kusari.dataset.tabular.delegate_dataset import DelegateDataset
from kusari.dataset.tabular.from_data import from_data
