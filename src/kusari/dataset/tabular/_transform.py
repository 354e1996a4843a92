"""Datasets returned by ``TabularDataset.transform`` and ``transform_batch``.

Example:
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data(('a', [1, 2, 3]))
    >>> ds.transform(('a', 'b'), lambda a: (a, -a)).fetch()
    ([1, 2, 3], [-1, -2, -3])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kusari.dataset.tabular.tabular_dataset import TabularDataset


def _output_mode(value: Any) -> type | None:
    if isinstance(value, tuple):
        return tuple
    if isinstance(value, dict):
        return dict
    return None


def _call(fn: Callable[..., Any], dataset: TabularDataset, values: Sequence[Any]) -> Any:
    """``fn`` applied to one example's (or a batch's) columns, as ``dataset.mode`` says."""
    if dataset.mode is dict:
        return fn(**dict(zip(dataset.keys, values)))
    return fn(*values)


class _TransformBase(TabularDataset):
    """The parts of :class:`_Transform` and :class:`_TransformBatch` they share."""

    _what = "transform"

    def __init__(self, dataset: TabularDataset, keys: Any, fn: Callable[..., Any]) -> None:
        self._dataset = dataset
        self._keys = keys if isinstance(keys, tuple) else (keys,)
        self._fn = fn
        self._mode_seen: list[type | None] = []  # empty until some output has been seen

    def __len__(self) -> int:
        return len(self._dataset)

    @property
    def keys(self) -> tuple[Any, ...]:
        return self._keys

    @property
    def mode(self) -> type | None:
        if not self._mode_seen:
            self.get_examples([0], None)  # the mode is the form of the outputs
        return self._mode_seen[0]

    def _check_mode(self, out: Any) -> type | None:
        mode = _output_mode(out)
        if not self._mode_seen:
            self._mode_seen.append(mode)
        elif self._mode_seen[0] is not mode:
            raise ValueError(f"{self._what} must not change its return type")
        return mode

    def _pick(self, out: Any, mode: type | None, k: int) -> Any:
        """The output column (or value) at position ``k`` of :attr:`keys`."""
        if mode is dict:
            return out[self._keys[k]]
        if mode is None:
            return (out,)[k]
        return out[k]

    def convert(self, data: Any) -> Any:
        return self._dataset.convert(data)


class _Transform(_TransformBase):
    """``dataset`` with ``transform`` applied to each example."""

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        if key_indices is None:
            key_indices = range(len(self._keys))
        columns = tuple([] for _ in key_indices)
        for example in zip(*self._dataset.get_examples(indices, None)):
            out = _call(self._fn, self._dataset, example)
            mode = self._check_mode(out)
            for col, k in zip(columns, key_indices):
                col.append(self._pick(out, mode, k))
        return columns


class _TransformBatch(_TransformBase):
    """``dataset`` with ``transform_batch`` applied to whole columns."""

    _what = "transform_batch"

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        if indices is None:
            n_rows = len(self)
        elif isinstance(indices, slice):
            n_rows = len(range(*indices.indices(len(self))))
        else:
            n_rows = len(indices)
        if key_indices is None:
            key_indices = range(len(self._keys))
        out = _call(self._fn, self._dataset, self._dataset.get_examples(indices, None))
        mode = self._check_mode(out)
        columns = out.values() if mode is dict else out if mode is tuple else (out,)
        if any(len(col) != n_rows for col in columns):
            raise ValueError("transform_batch must not change the length of data")
        return tuple(self._pick(out, mode, k) for k in key_indices)
