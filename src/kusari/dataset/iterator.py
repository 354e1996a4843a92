"""The Iterator base: an iterator over minibatches of a dataset.

Example:
    >>> from kusari.iterators import SerialIterator
    >>> it = SerialIterator([1, 2, 3], 2, repeat=False, shuffle=False)
    >>> isinstance(it, Iterator)
    True
"""

from __future__ import annotations

from typing import Any


class Iterator:
    """Base class of dataset iterators.

    An iterator returns a list of examples from ``__next__`` and reports its
    progress through ``epoch``, ``epoch_detail`` and ``is_new_epoch``. It is a
    context manager that calls :meth:`finalize` on exit.
    """

    def __iter__(self) -> Iterator:
        return self

    def __next__(self) -> list:
        """The next minibatch, a list of examples.

        Raises:
            StopIteration: A non-repeating iterator has gone through its data.
        """
        raise NotImplementedError(f"{type(self).__name__}.__next__ must be implemented")

    def next(self) -> list:
        """Python 2 style alias of :meth:`__next__`."""
        return self.__next__()

    def finalize(self) -> None:
        """Release resources (worker processes, threads); a no-op by default."""

    def __enter__(self) -> Iterator:
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.finalize()

    def serialize(self, serializer: Any) -> None:
        """Save or load the iterator's state; a no-op by default.

        Args:
            serializer: A serializer or deserializer.
        """
