"""SerialIterator: minibatches drawn in the main thread, the simplest iterator.

Example:
    >>> from kusari.iterators import SerialIterator
    >>> it = SerialIterator(list(range(5)), 2, repeat=False, shuffle=False)
    >>> [batch for batch in it]
    [[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

from typing import Any

from kusari.dataset import iterator
from kusari.datasets.tuple_dataset import TupleDataset
from kusari.iterators import _statemachine

#: Datasets whose slice is the list of their examples (``list(d[i:j]) == [d[k] ...]``).
_SLICEABLE = (TupleDataset, list, tuple)


class SerialIterator(_statemachine.StatefulIterator, iterator.Iterator):
    """Iterator that reads examples one by one from the dataset, in order or shuffled.

    Each call returns a list of ``batch_size`` examples. With ``repeat=True`` the
    iteration is endless and a batch that crosses an epoch boundary continues with
    the next epoch's order; with ``repeat=False`` it stops after one epoch and the
    last batch may be short. Orders come from ``numpy.random``'s global state by
    default, so seeded Chainer scripts get the same batches.

    Args:
        dataset: A dataset (anything with ``__len__`` and ``__getitem__``).
        batch_size: Number of examples per batch.
        repeat: Whether to loop over the dataset endlessly.
        shuffle: True to shuffle every epoch, False for the dataset order; None
            (default) shuffles unless ``order_sampler`` is given.
        order_sampler: A callable ``(current_order, current_position) -> order``
            used at each epoch; only with ``shuffle=None``.

    Raises:
        ValueError: ``batch_size`` is not positive, or both ``shuffle`` and
            ``order_sampler`` are given.
        TypeError: ``batch_size`` is not an int.

    Example:
        >>> import numpy
        >>> numpy.random.seed(0)
        >>> it = SerialIterator([10, 11, 12], 2)
        >>> it.next(), it.epoch, it.next(), it.is_new_epoch
        ([12, 11], 0, [10, 12], True)
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int,
        repeat: bool = True,
        shuffle: bool | None = None,
        order_sampler: Any = None,
    ) -> None:
        self.dataset = dataset
        self.batch_size = _statemachine.check_batch_size(batch_size, "SerialIterator")
        self._repeat = repeat
        self._shuffle = shuffle
        self.order_sampler = _statemachine.make_order_sampler(
            shuffle, order_sampler, "SerialIterator"
        )
        self.reset()

    def __next__(self) -> list:
        """The next minibatch, a list of examples.

        Raises:
            StopIteration: ``repeat=False`` and the epoch is over.
        """
        self._previous_epoch_detail = self.epoch_detail
        self._state, indices = _statemachine.iterator_statemachine(
            self._state, self.batch_size, self._repeat, self.order_sampler, len(self.dataset)
        )
        if indices is None:
            raise StopIteration
        dataset = self.dataset
        if type(indices) is range and type(dataset) in _SLICEABLE:
            # the dataset order, within one epoch: one slice, as Chainer reads it
            # (TupleDataset zips its columns' rows in C instead of one call per example)
            return list(dataset[indices.start:indices.stop])
        return [dataset[index] for index in indices]

    next = __next__

    def reset(self) -> None:
        """Go back to the start of epoch 0, drawing a new order if shuffling."""
        self._state = self._initial_state()
        self._previous_epoch_detail = -1.0

    def serialize(self, serializer: Any) -> None:
        """Save or restore the position, epoch, order and random state.

        Keys are Chainer's (``current_position``, ``epoch``, ``is_new_epoch``,
        ``order``, ``previous_epoch_detail``), so Chainer snapshots load; the order
        sampler's random state goes under ``_rng_state/`` (absent keys are tolerated)
        so that a resumed run draws the same orders as an uninterrupted one. For the
        default sampler that is NumPy's global state, which loading therefore sets.

        Args:
            serializer: A serializer or deserializer.
        """
        self._serialize_state(serializer)
