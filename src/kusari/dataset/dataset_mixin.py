"""DatasetMixin: indexing with slices and lists on top of ``get_example``.

Example:
    >>> class Squares(DatasetMixin):
    ...     def __len__(self):
    ...         return 5
    ...     def get_example(self, i):
    ...         return i * i
    >>> Squares()[1:4]
    [1, 4, 9]
"""

from __future__ import annotations

from typing import Any

import numpy


class DatasetMixin:
    """Base of datasets that define ``__len__`` and ``get_example(i)``.

    ``dataset[i]`` calls ``get_example(i)``; a slice, a list of indices or an
    integer array gives a list of examples. Negative indices count from the end.
    """

    def __getitem__(self, index: Any) -> Any:
        """One example, or a list of examples for a slice, list or array of indices.

        Args:
            index: An int, a slice, a list of ints or a 1-d integer array.

        Returns:
            The example, or a list of examples.

        Raises:
            IndexError: An int index is out of range.
        """
        if isinstance(index, slice):
            current, stop, step = index.indices(len(self))
            return [self.get_example(i) for i in range(current, stop, step)]
        if isinstance(index, list) or (isinstance(index, numpy.ndarray) and index.ndim == 1):
            return [self.get_example(int(i)) for i in index]
        return self.get_example(index)

    def __len__(self) -> int:
        """The number of examples."""
        raise NotImplementedError(f"{type(self).__name__}.__len__ must be implemented")

    def get_example(self, i: int) -> Any:
        """The ``i``-th example.

        Args:
            i: Index of the example.

        Returns:
            The example.
        """
        raise NotImplementedError(f"{type(self).__name__}.get_example must be implemented")
