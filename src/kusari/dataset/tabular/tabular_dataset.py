"""TabularDataset: a dataset of rows whose examples all have the same named columns.

Example:
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data((('x', [1, 2, 3]), ('y', [4, 5, 6])))
    >>> ds[1], ds.asdict()[1]
    ((2, 5), {'x': 2, 'y': 5})
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy

from kusari import backend
from kusari.dataset.dataset_mixin import DatasetMixin


class TabularDataset(DatasetMixin):
    """Base of tabular datasets: every example has the same columns, named by ``keys``.

    An example is a tuple (``mode`` is ``tuple``), a dict keyed by column name
    (``mode`` is ``dict``), or, for a single column, the bare value (``mode`` is
    None). Subclasses implement ``__len__``, ``keys``, ``mode`` and
    :meth:`get_examples`; everything else (indexing, views, concatenation, joins,
    transforms) is built on those.

    Example:
        >>> import numpy as np
        >>> class Grid(TabularDataset):
        ...     def __len__(self):
        ...         return 4
        ...     @property
        ...     def keys(self):
        ...         return ('a', 'b', 'c')
        ...     @property
        ...     def mode(self):
        ...         return tuple
        ...     def get_examples(self, indices, key_indices):
        ...         data = np.arange(12).reshape((4, 3))
        ...         if indices is not None:
        ...             data = data[indices]
        ...         if key_indices is not None:
        ...             data = data[:, list(key_indices)]
        ...         return tuple(data.T)
        >>> ds = Grid()
        >>> [int(v) for v in ds[1]]
        [3, 4, 5]
        >>> view = ds.slice[[3, 2], ('c', 0)]
        >>> view.keys, [int(v) for v in view[0]]
        (('c', 'a'), [11, 9])
    """

    def __len__(self) -> int:
        """The number of rows."""
        raise NotImplementedError(f"{type(self).__name__}.__len__ must be implemented")

    @property
    def keys(self) -> tuple[Any, ...]:
        """The names of the columns, a tuple of strings."""
        raise NotImplementedError(f"{type(self).__name__}.keys must be implemented")

    @property
    def mode(self) -> type | None:
        """``tuple``, ``dict`` or None: the form of the examples and of :meth:`fetch`."""
        raise NotImplementedError(f"{type(self).__name__}.mode must be implemented")

    def get_examples(
        self, indices: slice | Sequence[int] | None, key_indices: Sequence[int] | None
    ) -> tuple:
        """Column-major data of some rows and columns.

        Args:
            indices: The rows: a slice or a list of ints; None means all rows.
            key_indices: Positions of the columns in :attr:`keys`; None means all.

        Returns:
            A tuple with one list or array per requested column.
        """
        raise NotImplementedError(
            f"{type(self).__name__}.get_examples(indices, key_indices) must be implemented"
        )

    @property
    def slice(self) -> Any:
        """A view of some rows and columns: ``dataset.slice[rows]`` or ``[rows, keys]``.

        ``rows`` is a slice, a list or array of ints (negative ones count from the
        end), or a list of booleans as long as the dataset. ``keys`` is a tuple of
        names and/or column positions, or one name or position: a single key gives a
        view whose ``mode`` is None, a tuple keeps ``mode`` (None becomes ``tuple``).

        Returns:
            An indexable helper whose items are views (:class:`TabularDataset`).

        Raises:
            IndexError: A row or column position is out of range (on indexing).
            KeyError: A key name is not in :attr:`keys` (on indexing).
            ValueError: A boolean mask's length is not the dataset's (on indexing).

        Example:
            >>> from kusari.dataset import tabular
            >>> ds = tabular.from_data({'a': [0, 1, 2, 3], 'b': [4, 5, 6, 7]})
            >>> ds.slice[1:3, 'b'].fetch()
            [5, 6]
            >>> ds.slice[[True, False, False, True]].fetch()
            {'a': [0, 3], 'b': [4, 7]}
        """
        from kusari.dataset.tabular import _slice

        return _slice._SliceHelper(self)

    def fetch(self) -> Any:
        """All the data, column-major, in the form given by :attr:`mode`.

        Returns:
            A tuple of columns (``tuple`` mode), a dict of columns keyed by name
            (``dict`` mode), or the only column (mode None); each column is a list
            or an array.

        Example:
            >>> from kusari.dataset import tabular
            >>> tabular.from_data(([1, 2], [3, 4])).fetch()
            ([1, 2], [3, 4])
        """
        return self._as_mode(self.get_examples(None, None))

    def convert(self, data: Any) -> Any:
        """Make arrays of fetched data (each column through ``xp.asarray``).

        Columns that already are arrays are returned as they are. A dataset built by
        :meth:`concat` or :meth:`join` uses the converter of its first dataset;
        :meth:`with_converter` replaces it.

        Args:
            data: What :meth:`fetch` returned (a tuple, a dict or one column).

        Returns:
            The same structure with arrays as columns.

        Example:
            >>> from kusari.dataset import tabular
            >>> ds = tabular.from_data(([1, 2], [3, 4]))
            >>> ds.convert(ds.fetch())
            (array([1, 2]), array([3, 4]))
        """
        if isinstance(data, tuple):
            return tuple(_as_array(col) for col in data)
        if isinstance(data, dict):
            return {key: _as_array(col) for key, col in data.items()}
        return _as_array(data)

    def astuple(self) -> TabularDataset:
        """A view of this dataset whose :attr:`mode` is ``tuple``.

        Example:
            >>> from kusari.dataset import tabular
            >>> tabular.from_data({'a': [1, 2]}).astuple()[0]
            (1,)
        """
        from kusari.dataset.tabular import _asmode

        return _asmode._AsMode(self, tuple)

    def asdict(self) -> TabularDataset:
        """A view of this dataset whose :attr:`mode` is ``dict``.

        Example:
            >>> from kusari.dataset import tabular
            >>> tabular.from_data((('a', [1, 2]), ('b', [3, 4]))).asdict()[1]
            {'a': 2, 'b': 4}
        """
        from kusari.dataset.tabular import _asmode

        return _asmode._AsMode(self, dict)

    def concat(self, *datasets: TabularDataset) -> TabularDataset:
        """Stack this dataset and ``datasets`` along the rows.

        Args:
            datasets: Datasets with the same :attr:`keys` as this one.

        Returns:
            The concatenation; its :attr:`mode` and converter are this dataset's.

        Raises:
            ValueError: The keys differ.

        Example:
            >>> from kusari.dataset import tabular
            >>> a = tabular.from_data(('x', [0, 1]))
            >>> a.concat(tabular.from_data(('x', [2]))).fetch()
            [0, 1, 2]
        """
        from kusari.dataset.tabular import _concat

        return _concat._Concat(self, *datasets)

    def join(self, *datasets: TabularDataset) -> TabularDataset:
        """Put the columns of this dataset and of ``datasets`` side by side.

        Args:
            datasets: Datasets as long as this one, with keys not used elsewhere.

        Returns:
            The joined dataset; its :attr:`mode` is the first non-None mode of the
            parts (``tuple`` when all are None), its converter this dataset's.

        Raises:
            ValueError: The lengths differ or a key appears twice.

        Example:
            >>> from kusari.dataset import tabular
            >>> a = tabular.from_data(('x', [0, 1]))
            >>> a.join(tabular.from_data(('y', [2, 3])))[1]
            (1, 3)
        """
        from kusari.dataset.tabular import _join

        return _join._Join(self, *datasets)

    def transform(self, keys: Any, transform: Callable[..., Any]) -> TabularDataset:
        """Apply ``transform`` to each example.

        ``transform`` receives the columns of one example as positional arguments
        (modes ``tuple`` and None) or keyword arguments (mode ``dict``) and returns
        a tuple, a dict or a single value; that choice sets the new :attr:`mode`
        and must not change from one example to the next.

        Args:
            keys: The names of the output columns (a tuple, or one name).
            transform: The function applied to each example.

        Returns:
            The transformed dataset (computed lazily, row by row).

        Raises:
            ValueError: ``transform`` changed its return type (when data is read).

        Example:
            >>> from kusari.dataset import tabular
            >>> ds = tabular.from_data((('a', [1, 2]), ('b', [3, 4])))
            >>> ds.transform(('s', 'p'), lambda a, b: {'s': a + b, 'p': a * b})[1]
            {'s': 6, 'p': 8}
        """
        from kusari.dataset.tabular import _transform

        return _transform._Transform(self, keys, transform)

    def transform_batch(self, keys: Any, transform_batch: Callable[..., Any]) -> TabularDataset:
        """Apply ``transform_batch`` to whole columns of requested rows at once.

        Like :meth:`transform`, but the function receives and returns columns (lists
        or arrays) rather than single values, and must keep the number of rows.

        Args:
            keys: The names of the output columns (a tuple, or one name).
            transform_batch: The function applied to the columns.

        Returns:
            The transformed dataset.

        Raises:
            ValueError: ``transform_batch`` changed its return type or the number of
                rows (when data is read).

        Example:
            >>> import numpy as np
            >>> from kusari.dataset import tabular
            >>> ds = tabular.from_data(('a', np.arange(4)))
            >>> ds.transform_batch('b', lambda a: a * 10).fetch()
            array([ 0, 10, 20, 30])
        """
        from kusari.dataset.tabular import _transform

        return _transform._TransformBatch(self, keys, transform_batch)

    def with_converter(self, converter: Callable[..., Any]) -> TabularDataset:
        """A view whose :meth:`convert` calls ``converter``.

        ``converter`` receives the fetched columns as positional arguments (tuple
        data), keyword arguments (dict data) or a single argument.

        Args:
            converter: The new converter.

        Returns:
            The dataset with that converter.

        Example:
            >>> from kusari.dataset import tabular
            >>> ds = tabular.from_data({'a': [1, 2], 'b': [3, 4]})
            >>> ds = ds.with_converter(lambda a, b: sum(a) + sum(b))
            >>> ds.convert(ds.fetch())
            10
        """
        from kusari.dataset.tabular import _with_converter

        return _with_converter._WithConverter(self, converter)

    def get_example(self, i: int) -> Any:
        """The ``i``-th example, in the form given by :attr:`mode`.

        Args:
            i: The row; negative values count from the end.

        Returns:
            A tuple, a dict or a single value.

        Raises:
            IndexError: ``i`` is out of range.

        Example:
            >>> from kusari.dataset import tabular
            >>> tabular.from_data([5, 6, 7]).get_example(-1)
            7
        """
        n = len(self)
        index = int(i)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"index {i} is out of bounds for dataset with size {n}")
        columns = self.get_examples([index], None)
        return self._as_mode(tuple(col[0] for col in columns))

    def __iter__(self) -> Iterator[Any]:
        """The examples, in order."""
        return (self.get_example(i) for i in range(len(self)))

    def _as_mode(self, values: tuple) -> Any:
        mode = self.mode
        if mode is tuple:
            return values
        if mode is dict:
            return dict(zip(self.keys, values))
        if mode is None:
            return values[0]
        raise ValueError(f"unknown mode {mode!r}: tuple, dict or None expected")


def _as_array(data: Any) -> Any:
    if isinstance(data, backend.get_array_types()):
        return data
    if len(data) == 0:
        return numpy.asarray(data)
    device = backend.get_device_from_array(data[0])
    with backend.using_device(device):
        return device.xp.asarray(data)
