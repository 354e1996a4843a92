"""from_data: a TabularDataset made of lists, arrays and functions of the row index.

Example:
    >>> from kusari.dataset import tabular
    >>> tabular.from_data({'a': [0, 1], 'b': lambda i: i * 10})[1]
    {'a': 1, 'b': 10}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kusari import backend
from kusari.dataset.tabular.tabular_dataset import TabularDataset


def from_data(data: Any, *, size: int | None = None) -> TabularDataset:
    """Make a :class:`~kusari.dataset.TabularDataset` from lists, arrays and callables.

    ``data`` takes one of these forms:

    - a list or array: one unnamed column, mode None;
    - ``(key, list/array/callable)``: one named column, mode None;
    - ``((key, ...), callable)``: columns computed together, the mode set by what
      the callable returns (a tuple, a dict keyed by the names, or a value);
    - a tuple of any of the above: their columns joined, mode ``tuple``;
    - a dict ``{key: list/array/callable, (key, ...): callable}``: mode ``dict``.

    A callable is called with the row index. Unnamed columns get a key made from
    the object's ``id``.

    Args:
        data: The columns, as above.
        size: The number of rows; needed only when ``data`` holds no list or array
            (otherwise the length of the first one is used).

    Returns:
        The dataset.

    Raises:
        ValueError: A callable has no key or the size is unknown, or the columns
            have different lengths.
        TypeError: ``data`` (or a column) is none of the accepted kinds.

    Example:
        >>> import numpy as np
        >>> ds = from_data([0, 1, 2])
        >>> ds[0], ds.mode
        (0, None)
        >>> ds = from_data((('a', np.arange(3)), ('b', [3, 4, 5])))
        >>> ds.keys, tuple(int(v) for v in ds[1])
        (('a', 'b'), (1, 4))
        >>> from_data(('sq', lambda i: i * i), size=10)[5]
        25
    """
    if isinstance(data, tuple):
        if len(data) == 2:
            key, column = data
            if isinstance(key, str) or (
                isinstance(key, tuple) and all(isinstance(k, str) for k in key)
            ):
                return _make_dataset(key, column, size)
        entries = [entry if isinstance(entry, tuple) else (None, entry) for entry in data]
        size = _infer_size([column for _, column in entries], size)
        parts = [_make_dataset(key, column, size) for key, column in entries]
        return parts[0].join(*parts[1:]).astuple()
    if isinstance(data, dict):
        size = _infer_size(list(data.values()), size)
        parts = [_make_dataset(key, column, size) for key, column in data.items()]
        return parts[0].join(*parts[1:]).asdict()
    return _make_dataset(None, data, size)


def _infer_size(columns: list[Any], size: int | None) -> int | None:
    if size is not None:
        return size
    for column in columns:
        if isinstance(column, (list, *backend.get_array_types())):
            return len(column)
    return None


def _make_dataset(key: Any, data: Any, size: int | None) -> TabularDataset:
    if isinstance(data, backend.get_array_types()):
        return _Array(f"_{id(data)}" if key is None else key, data)
    if isinstance(data, list):
        return _List(f"_{id(data)}" if key is None else key, data)
    if callable(data):
        if key is None:
            raise ValueError("key(s) must be specified for callable")
        if size is None:
            raise ValueError("size must be specified for callable")
        return _Index(size).transform(key, data)
    raise TypeError(
        f"from_data: expected a list, an array or a callable, got {type(data).__name__}"
    )


class _Column(TabularDataset):
    """One named column held in memory (mode None)."""

    def __init__(self, key: Any, data: Any) -> None:
        self._key = key
        self._data = data

    def __len__(self) -> int:
        return len(self._data)

    @property
    def keys(self) -> tuple[Any, ...]:
        return (self._key,)

    @property
    def mode(self) -> None:
        return None

    def _rows(self, indices: slice | Sequence[int]) -> Any:
        raise NotImplementedError

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        column = self._data if indices is None else self._rows(indices)
        return (column,) * (1 if key_indices is None else len(key_indices))


class _Array(_Column):
    """A column backed by a NumPy/CuPy array (rows by array indexing)."""

    def _rows(self, indices: slice | Sequence[int]) -> Any:
        return self._data[indices]


class _List(_Column):
    """A column backed by a list (a slice gives a list, so does a list of rows)."""

    def _rows(self, indices: slice | Sequence[int]) -> Any:
        if isinstance(indices, slice):
            return self._data[indices]
        return [self._data[i] for i in indices]


class _Index(TabularDataset):
    """The column ``index`` holding 0, 1, ..., ``size - 1`` (a list of ints)."""

    def __init__(self, size: int) -> None:
        self._size = size

    def __len__(self) -> int:
        return self._size

    @property
    def keys(self) -> tuple[Any, ...]:
        return ("index",)

    @property
    def mode(self) -> None:
        return None

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        if indices is None:
            indices = slice(None)
        if isinstance(indices, slice):
            indices = list(range(*indices.indices(self._size)))
        return (indices,) * (1 if key_indices is None else len(key_indices))
