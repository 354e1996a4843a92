"""Views made by ``TabularDataset.slice[rows, keys]``, and index arithmetic for them.

Example:
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data((('a', [0, 1, 2, 3]), ('b', [4, 5, 6, 7])))
    >>> ds.slice[::-1].slice[1:, 'b'].fetch()
    [6, 5, 4]
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy

from kusari.dataset.tabular.tabular_dataset import TabularDataset

Rows = slice | list[int] | None


class _Slice(TabularDataset):
    """Some rows and columns of ``dataset``, checked and normalized up front."""

    def __init__(self, dataset: TabularDataset, indices: Any, keys: Any) -> None:
        # ``_unary``: None keeps the parent's mode, True gives mode None, False a tuple
        # of keys (the parent's mode, or ``tuple`` when it had none).
        if keys is None:
            self._unary: bool | None = None
        elif isinstance(keys, tuple):
            self._unary = False
        else:
            self._unary = True
            keys = (keys,)
        self._dataset = dataset
        self._indices = _normalize_rows(indices, len(dataset))
        self._key_indices = _normalize_keys(keys, dataset.keys)

    def __len__(self) -> int:
        if self._indices is None:
            return len(self._dataset)
        if isinstance(self._indices, slice):
            return len(range(*self._indices.indices(len(self._dataset))))
        return len(self._indices)

    @property
    def keys(self) -> tuple[Any, ...]:
        parent = self._dataset.keys
        if self._key_indices is None:
            return parent
        return tuple(parent[k] for k in self._key_indices)

    @property
    def mode(self) -> type | None:
        if self._unary is None:
            return self._dataset.mode
        if self._unary:
            return None
        return self._dataset.mode or tuple

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        rows = _compose_rows(self._indices, indices, len(self._dataset))
        if self._key_indices is None:
            keys = key_indices
        elif key_indices is None:
            keys = self._key_indices
        else:
            keys = tuple(self._key_indices[k] for k in key_indices)
        return self._dataset.get_examples(rows, keys)

    def convert(self, data: Any) -> Any:
        return self._dataset.convert(data)


class _SliceHelper:
    """What ``dataset.slice`` returns: indexing it makes a :class:`_Slice`."""

    def __init__(self, dataset: TabularDataset) -> None:
        self._dataset = dataset

    def __getitem__(self, args: Any) -> _Slice:
        if isinstance(args, tuple):
            indices, keys = args
        else:
            indices, keys = args, None
        return _Slice(self._dataset, indices, keys)


def _normalize_rows(indices: Any, length: int) -> Rows:
    """A slice as is, a boolean mask as the positions it selects, ints made >= 0."""
    if indices is None or isinstance(indices, slice) or len(indices) == 0:
        return indices
    if all(isinstance(v, (bool, numpy.bool_)) for v in indices):
        if len(indices) != length:
            raise ValueError("The number of booleans is different from the length of dataset")
        return [i for i, v in enumerate(indices) if v]
    rows = []
    for v in indices:
        i = int(v)
        if i < 0:
            i += length
        if not 0 <= i < length:
            raise IndexError(f"index {int(v)} is out of bounds for dataset with size {length}")
        rows.append(i)
    return rows


def _normalize_keys(keys: tuple | None, names: tuple[Any, ...]) -> tuple[int, ...] | None:
    """Key names and (possibly negative) positions as positions in ``names``."""
    if keys is None:
        return None
    positions = []
    for key in keys:
        if isinstance(key, numbers.Integral):
            k = int(key)
            if k < 0:
                k += len(names)
            if not 0 <= k < len(names):
                raise IndexError(f"index {key} is out of bounds for keys with size {len(names)}")
        else:
            try:
                k = names.index(key)
            except ValueError:
                raise KeyError(f"{key} does not exist") from None
        positions.append(k)
    return tuple(positions)


def _range_to_slice(r: range) -> slice:
    """A slice that selects the elements of ``r`` (all >= 0) from a sequence."""
    if len(r) == 0:
        return slice(0, 0, 1)
    return slice(r.start, r.stop if r.stop >= 0 else None, r.step)


def _compose_rows(outer: Rows, inner: slice | Sequence[int] | None, length: int) -> Rows:
    """The rows of the parent (of size ``length``) that ``inner`` picks out of ``outer``."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    if isinstance(outer, slice):
        picked = range(*outer.indices(length))
        if isinstance(inner, slice):
            return _range_to_slice(picked[inner])
        return [picked[i] for i in inner]
    if isinstance(inner, slice):
        return outer[inner]
    return [outer[i] for i in inner]
