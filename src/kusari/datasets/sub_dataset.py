"""SubDataset and the functions that split a dataset (holdout, n-way, cross-validation).

Example:
    >>> train, val = split_dataset(list(range(10)), 7)
    >>> len(train), val[0]
    (7, 7)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from kusari.dataset import dataset_mixin


class SubDataset(dataset_mixin.DatasetMixin):
    """A view of the examples ``start`` to ``finish`` of a dataset, optionally reordered.

    With ``order``, the ``i``-th example is ``dataset[order[start + i]]``; otherwise
    ``dataset[start + i]``. Nothing is copied.

    Args:
        dataset: The base dataset.
        start: First position of the view (inclusive).
        finish: Last position of the view (exclusive).
        order: A permutation of ``range(len(dataset))``, or None.

    Raises:
        ValueError: ``order`` has a different length than ``dataset``.

    Example:
        >>> SubDataset([10, 11, 12, 13], 1, 3)[:]
        [11, 12]
    """

    def __init__(
        self, dataset: Any, start: int, finish: int, order: Sequence[int] | None = None
    ) -> None:
        if start < 0 or finish > len(dataset) or start > finish:
            raise ValueError(
                f"SubDataset: need 0 <= start <= finish <= len(dataset) = {len(dataset)}, "
                f"got start={start}, finish={finish}"
            )
        if order is not None and len(order) != len(dataset):
            raise ValueError(
                "SubDataset: order must have the same length as the base dataset: "
                f"len(order) = {len(order)} while len(dataset) = {len(dataset)}"
            )
        self._dataset = dataset
        self._start = start
        self._finish = finish
        self._size = finish - start
        self._order = order

    def __len__(self) -> int:
        return self._size

    def get_example(self, i: int) -> Any:
        """The ``i``-th example of the view (negative ``i`` counts from the end).

        Raises:
            IndexError: ``i`` is out of range.
        """
        if i >= 0:
            if i >= self._size:
                raise IndexError(f"SubDataset: index {i} out of range for length {self._size}")
            index = self._start + i
        else:
            if i < -self._size:
                raise IndexError(f"SubDataset: index {i} out of range for length {self._size}")
            index = self._finish + i
        if self._order is not None:
            index = self._order[index]
        return self._dataset[index]


def split_dataset(
    dataset: Any, split_at: int, order: Sequence[int] | None = None
) -> tuple[SubDataset, SubDataset]:
    """Split a dataset in two at ``split_at``.

    Args:
        dataset: The dataset.
        split_at: Number of examples in the first part.
        order: Optional permutation applied before splitting.

    Returns:
        ``(first, second)``: the first ``split_at`` examples and the rest.

    Raises:
        TypeError: ``split_at`` is not an int.
        ValueError: ``split_at`` is negative or exceeds ``len(dataset)``.

    Example:
        >>> a, b = split_dataset([1, 2, 3], 1)
        >>> a[:], b[:]
        ([1], [2, 3])
    """
    if isinstance(split_at, bool) or not isinstance(split_at, (int, numpy.integer)):
        raise TypeError(f"split_dataset: split_at must be int, got {type(split_at)} instead")
    n_examples = len(dataset)
    if split_at < 0:
        raise ValueError(f"split_dataset: split_at must be non-negative, got {split_at}")
    if split_at > n_examples:
        raise ValueError(
            f"split_dataset: split_at ({split_at}) exceeds the dataset size ({n_examples})"
        )
    return (
        SubDataset(dataset, 0, int(split_at), order),
        SubDataset(dataset, int(split_at), n_examples, order),
    )


def split_dataset_random(
    dataset: Any, first_size: int, seed: int | None = None
) -> tuple[SubDataset, SubDataset]:
    """Split a dataset in two at random.

    The permutation is ``numpy.random.RandomState(seed).permutation(len(dataset))``,
    so a given seed gives the same split as Chainer.

    Args:
        dataset: The dataset.
        first_size: Number of examples in the first part.
        seed: Seed of the permutation; None draws a fresh one.

    Returns:
        ``(first, second)``.

    Example:
        >>> a, b = split_dataset_random(list(range(10)), 4, seed=3)
        >>> a[:]
        [5, 4, 1, 2]
    """
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset(dataset, first_size, order)


def split_dataset_n(dataset: Any, n: int, order: Sequence[int] | None = None) -> list[SubDataset]:
    """Split a dataset into ``n`` parts of ``len(dataset) // n`` examples each.

    The ``len(dataset) % n`` examples left over at the end are in no part.

    Args:
        dataset: The dataset.
        n: Number of parts.
        order: Optional permutation applied before splitting.

    Returns:
        The ``n`` parts.

    Raises:
        ValueError: ``n`` is not positive.

    Example:
        >>> [p[:] for p in split_dataset_n(list(range(7)), 3)]
        [[0, 1], [2, 3], [4, 5]]
    """
    if n <= 0:
        raise ValueError(f"split_dataset_n: n must be positive, got {n}")
    sub_size = len(dataset) // n
    return [SubDataset(dataset, sub_size * i, sub_size * (i + 1), order) for i in range(n)]


def split_dataset_n_random(dataset: Any, n: int, seed: int | None = None) -> list[SubDataset]:
    """Split a dataset into ``n`` parts at random (see :func:`split_dataset_n`).

    Args:
        dataset: The dataset.
        n: Number of parts.
        seed: Seed of the permutation; None draws a fresh one.

    Returns:
        The ``n`` parts.

    Example:
        >>> [p[:] for p in split_dataset_n_random(list(range(10)), 3, seed=3)][0]
        [5, 4, 1]
    """
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset_n(dataset, n, order)


def get_cross_validation_datasets(
    dataset: Any, n_folds: int | None = None, order: Sequence[int] | None = None, **kwargs: Any
) -> list[tuple[SubDataset, SubDataset]]:
    """Make ``n_folds`` (train, test) pairs for cross-validation.

    The positions are cut into ``n_folds`` nearly equal blocks; each block is the
    test set of one fold and the others, in rotated order, its training set. The
    first fold tests on the last block, as in Chainer.

    Args:
        dataset: The dataset.
        n_folds: Number of folds (``n_fold`` is accepted as an old alias).
        order: Optional permutation applied first.

    Returns:
        A list of ``(train, test)`` pairs.

    Raises:
        TypeError: An unexpected keyword argument is given.
        ValueError: ``n_folds`` is missing or not positive.

    Example:
        >>> folds = get_cross_validation_datasets(list(range(4)), 2)
        >>> [(tr[:], te[:]) for tr, te in folds]
        [([0, 1], [2, 3]), ([2, 3], [0, 1])]
    """
    if "n_fold" in kwargs:
        n_folds = kwargs.pop("n_fold")
    if kwargs:
        raise TypeError(
            f"get_cross_validation_datasets: unexpected keyword arguments {sorted(kwargs)}"
        )
    if n_folds is None or n_folds <= 0:
        raise ValueError(
            f"get_cross_validation_datasets: n_folds must be a positive int, got {n_folds!r}"
        )
    whole_size = len(dataset)
    order = numpy.arange(whole_size) if order is None else numpy.array(order)
    borders = [whole_size * i // n_folds for i in range(n_folds + 1)]
    test_sizes = [borders[i + 1] - borders[i] for i in range(n_folds)]
    splits = []
    for test_size in reversed(test_sizes):
        splits.append(split_dataset(dataset, whole_size - test_size, order))
        if test_size:
            order = numpy.concatenate([order[-test_size:], order[:-test_size]])
    return splits


def get_cross_validation_datasets_random(
    dataset: Any, n_folds: int, seed: int | None = None, **kwargs: Any
) -> list[tuple[SubDataset, SubDataset]]:
    """Cross-validation folds over a random permutation of the dataset.

    Args:
        dataset: The dataset.
        n_folds: Number of folds.
        seed: Seed of the permutation; None draws a fresh one.

    Returns:
        A list of ``(train, test)`` pairs (see :func:`get_cross_validation_datasets`).

    Example:
        >>> folds = get_cross_validation_datasets_random(list(range(10)), 3, seed=3)
        >>> folds[0][1][:]
        [7, 0, 3, 8]
    """
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return get_cross_validation_datasets(dataset, n_folds, order, **kwargs)
