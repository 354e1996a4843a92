"""The epoch bookkeeping shared by all iterators: which indices form the next batch.

A batch that runs past the end of an epoch wraps around: the order sampler draws
the next epoch's order and the batch continues from its start (several times if
the batch is larger than the dataset). Without repeat, the last batch is short.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy


class IteratorState(NamedTuple):
    """Where an iterator stands: position in the order, epoch, and the order itself."""

    current_position: int
    epoch: int
    is_new_epoch: bool
    order: numpy.ndarray | None


def iterator_statemachine(
    state: IteratorState,
    batch_size: int,
    repeat: bool,
    order_sampler: Any,
    dataset_len: int,
) -> tuple[IteratorState, Any]:
    """Advance ``state`` by one batch.

    Args:
        state: The current state.
        batch_size: Number of examples per batch.
        repeat: Whether to go on past the first epoch.
        order_sampler: Called at each epoch boundary when ``state.order`` is not None.
        dataset_len: Length of the dataset (used when there is no order).

    Returns:
        ``(new_state, indices)``; ``indices`` is None when a non-repeating iterator
        is exhausted, else a ``range`` or an integer array.

    Raises:
        ValueError: The epoch is empty while repeating, or the sampler returned an
            order of a different length.
    """
    i, epoch, _, order = state
    if not repeat and epoch > 0:
        return state, None
    n = dataset_len if order is None else len(order)
    if n == 0:
        if repeat:
            raise ValueError("iterator: the dataset is empty, cannot repeat over it")
        return state, None
    chunks = []
    is_new_epoch = False
    remaining = batch_size
    while True:
        end = i + remaining
        chunks.append(range(i, min(end, n)) if order is None else order[i:end])
        if end < n:
            i = end
            break
        epoch += 1
        is_new_epoch = True
        if order is not None:
            new_order = order_sampler(order, i)
            if len(new_order) != n:
                raise ValueError(
                    f"iterator: the order sampler returned an order of length {len(new_order)}, "
                    f"expected {n} (the length of the previous order)"
                )
            order = new_order
        remaining = end - n
        i = 0
        if not repeat or remaining == 0:
            break
    if len(chunks) == 1:
        indices = chunks[0]
    else:
        indices = numpy.concatenate([numpy.asarray(c, dtype=numpy.int64) for c in chunks])
    return IteratorState(i, epoch, is_new_epoch, order), indices


def make_order_sampler(shuffle: bool | None, order_sampler: Any, who: str) -> Any:
    """The order sampler an iterator uses, from its ``shuffle`` and ``order_sampler``.

    ``shuffle=None`` with no sampler means shuffling, as in Chainer.

    Raises:
        ValueError: Both ``shuffle`` and ``order_sampler`` are given.
    """
    from kusari.iterators.order_samplers import ShuffleOrderSampler

    if shuffle is not None:
        if order_sampler is not None:
            raise ValueError(
                f"{who}: `shuffle` is not None and a custom `order_sampler` is set; "
                "set `shuffle` to None to use the custom order sampler"
            )
        return ShuffleOrderSampler() if shuffle else None
    return ShuffleOrderSampler() if order_sampler is None else order_sampler


def check_batch_size(batch_size: Any, who: str) -> int:
    """``batch_size`` as an int, or a ValueError naming ``who``."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, numpy.integer)):
        raise TypeError(f"{who}: batch_size must be an int, got {type(batch_size).__name__}")
    if batch_size <= 0:
        raise ValueError(f"{who}: batch_size must be positive, got {batch_size}")
    return int(batch_size)


class StatefulIterator:
    """Epoch bookkeeping and (de)serialization shared by kusari's iterators.

    Subclasses set ``dataset``, ``batch_size``, ``_repeat``, ``order_sampler``, and
    keep ``_state`` (an :class:`IteratorState`) and ``_previous_epoch_detail`` (-1
    meaning None) for the last batch handed to the user.
    """

    dataset: Any
    batch_size: int
    order_sampler: Any
    _repeat: bool
    _state: IteratorState
    _previous_epoch_detail: float

    @property
    def current_position(self) -> int:
        """Position of the next example within the current epoch's order."""
        return self._state.current_position

    @property
    def epoch(self) -> int:
        """Number of completed epochs."""
        return self._state.epoch

    @property
    def is_new_epoch(self) -> bool:
        """True when the last batch completed an epoch."""
        return self._state.is_new_epoch

    @property
    def epoch_detail(self) -> float:
        """Epochs completed as a float: ``epoch + current_position / epoch_size``."""
        size = self._epoch_size
        if size == 0:
            return float(self.epoch)
        return self.epoch + self.current_position / size

    @property
    def previous_epoch_detail(self) -> float | None:
        """:attr:`epoch_detail` before the last batch, or None before the first one."""
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    @property
    def repeat(self) -> bool:
        """Whether the iterator goes on past the first epoch."""
        return self._repeat

    @property
    def _epoch_size(self) -> int:
        order = self._state.order
        return len(self.dataset) if order is None else len(order)

    def _initial_state(self) -> IteratorState:
        order = None
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        return IteratorState(0, 0, False, order)

    def _serialize_state(self, serializer: Any) -> None:
        """Chainer's keys, plus the order sampler's random state under ``_rng_state/``."""
        current_position = serializer("current_position", self.current_position)
        epoch = serializer("epoch", self.epoch)
        is_new_epoch = serializer("is_new_epoch", self.is_new_epoch)
        order = self._state.order
        if order is not None:
            try:
                order = serializer("order", order)
            except KeyError:
                order = serializer("_order", order)
        self._state = IteratorState(int(current_position), int(epoch), bool(is_new_epoch), order)
        try:
            self._previous_epoch_detail = serializer(
                "previous_epoch_detail", self._previous_epoch_detail
            )
        except KeyError:
            # Snapshots of old versions lack it: guess it from the position.
            guess = self.epoch + (self.current_position - self.batch_size) / self._epoch_size
            self._previous_epoch_detail = max(guess, 0.0) if self.epoch_detail > 0 else -1.0
        if self._previous_epoch_detail is None:
            self._previous_epoch_detail = -1.0
        sampler_serialize = getattr(self.order_sampler, "serialize", None)
        if sampler_serialize is not None:
            try:
                sampler_serialize(serializer["_rng_state"])
            except KeyError:
                pass  # snapshots written by Chainer have no random state
