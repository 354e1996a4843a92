"""Planning ahead for iterators that fetch batches in the background.

The batches' indices are planned in the calling thread, in the same sequence as
:class:`~kusari.iterators.SerialIterator` would (so the orders are identical for a
given seed), ``n_prefetch`` batches ahead of what was handed to the user. The
backend (threads or processes) fetches the planned batches.

Serializing or resetting waits for the planned batches, drops them, and rewinds
the order sampler's random state to before the first dropped epoch draw, so the
same orders are drawn again; a run resumed from a snapshot therefore yields the
same batches as the run that wrote it.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any

import numpy

from kusari.dataset import iterator
from kusari.iterators import _statemachine


def _random_state_of(sampler: Any) -> Any:
    rs = getattr(sampler, "_random", None)
    return rs if hasattr(rs, "get_state") and hasattr(rs, "set_state") else None


@dataclass
class Planned:
    """One planned batch: its indices, the state after it, and backend bookkeeping."""

    state: _statemachine.IteratorState
    indices: numpy.ndarray
    rng_before: Any = None
    handle: Any = None
    extra: dict = field(default_factory=dict)


class PrefetchIterator(_statemachine.StatefulIterator, iterator.Iterator):
    """Base of iterators that fetch ``n_prefetch`` planned batches in the background.

    Subclasses implement ``_dispatch(planned)`` (start fetching, may set
    ``planned.handle``), ``_collect(planned) -> list`` (wait and return the batch),
    ``_discard(planned)`` (wait and drop it) and ``_shutdown()``.
    """

    _n_prefetch: int

    def _init_plan(self) -> None:
        self._inflight: collections.deque[Planned] = collections.deque()
        self._plan_state = self._state

    def _plan_one(self) -> Planned | None:
        rs = _random_state_of(self.order_sampler)
        before = rs.get_state() if rs is not None else None
        old_order = self._plan_state.order
        new_state, indices = _statemachine.iterator_statemachine(
            self._plan_state,
            self.batch_size,
            self._repeat,
            self.order_sampler,
            len(self.dataset),
        )
        if indices is None:
            return None
        self._plan_state = new_state
        drew = new_state.order is not old_order
        indices = numpy.asarray(indices, dtype=numpy.int64)
        return Planned(new_state, indices, rng_before=before if drew else None)

    def _fill(self) -> None:
        while len(self._inflight) < self._n_prefetch:
            planned = self._plan_one()
            if planned is None:
                return
            self._dispatch(planned)
            self._inflight.append(planned)

    def __next__(self) -> list:
        """The next minibatch, a list of examples.

        Raises:
            StopIteration: ``repeat=False`` and the epoch is over.
        """
        self._fill()
        if not self._inflight:
            self._previous_epoch_detail = self.epoch_detail
            raise StopIteration
        planned = self._inflight[0]
        batch = self._collect(planned)
        self._inflight.popleft()
        self._previous_epoch_detail = self.epoch_detail
        self._state = planned.state
        self._fill()
        return batch

    next = __next__

    def _drop_plan(self, wait: bool) -> None:
        """Forget the planned batches and rewind the sampler's random state."""
        rewind = None
        while self._inflight:
            planned = self._inflight.popleft()
            if rewind is None and planned.rng_before is not None:
                rewind = planned.rng_before
            if wait:
                self._discard(planned)
        if rewind is not None:
            _random_state_of(self.order_sampler).set_state(rewind)
        self._plan_state = self._state

    def reset(self) -> None:
        """Go back to the start of epoch 0, drawing a new order if shuffling."""
        if getattr(self, "_inflight", None):
            self._drop_plan(wait=True)
        self._state = self._initial_state()
        self._previous_epoch_detail = -1.0
        self._init_plan()

    def serialize(self, serializer: Any) -> None:
        """Save or restore the state, with the same keys as :class:`SerialIterator`.

        Batches fetched ahead are dropped (and fetched again afterwards), so the
        saved random state is the one a resumed run needs.

        Args:
            serializer: A serializer or deserializer.
        """
        self._drop_plan(wait=True)
        self._serialize_state(serializer)
        self._plan_state = self._state

    def finalize(self) -> None:
        """Stop the background workers and release their resources.

        The iterator stays usable: the next call starts new workers and fetches
        the batches that were planned again.
        """
        if getattr(self, "_inflight", None) is not None:
            self._drop_plan(wait=False)
        self._shutdown()

    def _dispatch(self, planned: Planned) -> None:
        raise NotImplementedError

    def _collect(self, planned: Planned) -> list:
        raise NotImplementedError

    def _discard(self, planned: Planned) -> None:
        raise NotImplementedError

    def _shutdown(self) -> None:
        raise NotImplementedError
