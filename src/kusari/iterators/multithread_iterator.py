"""MultithreadIterator: fetch examples with a pool of threads, one batch ahead.

Threads help when ``dataset[i]`` releases the GIL (file reads, image decoding,
NumPy on large arrays).

Example:
    >>> from kusari.iterators import MultithreadIterator
    >>> with MultithreadIterator(list(range(5)), 2, repeat=False, shuffle=False) as it:
    ...     [b for b in it]
    [[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import concurrent.futures
from typing import Any

from kusari.iterators import _prefetch, _statemachine


def _fetch(dataset: Any, indices: Any) -> list:
    return [dataset[i] for i in indices]


class MultithreadIterator(_prefetch.PrefetchIterator):
    """Iterator that reads examples in ``n_threads`` threads while the model trains.

    Batches, epochs and orders are exactly those of
    :class:`~kusari.iterators.SerialIterator` with the same arguments and seed.

    Args:
        dataset: A dataset (anything with ``__len__`` and ``__getitem__``).
        batch_size: Number of examples per batch.
        repeat: Whether to loop over the dataset endlessly.
        shuffle: True/False, or None to shuffle unless ``order_sampler`` is given.
        n_threads: Number of worker threads.
        order_sampler: A callable ``(current_order, current_position) -> order``.

    Raises:
        ValueError: ``batch_size`` or ``n_threads`` is not positive, or both
            ``shuffle`` and ``order_sampler`` are given.

    Example:
        >>> it = MultithreadIterator([1, 2, 3], 3, shuffle=False, n_threads=2)
        >>> it.next()
        [1, 2, 3]
        >>> it.finalize()
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int,
        repeat: bool = True,
        shuffle: bool | None = None,
        n_threads: int = 1,
        order_sampler: Any = None,
    ) -> None:
        if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 1:
            raise ValueError(
                f"MultithreadIterator: n_threads must be an int >= 1, got {n_threads!r}"
            )
        self.dataset = dataset
        self.batch_size = _statemachine.check_batch_size(batch_size, "MultithreadIterator")
        self._repeat = repeat
        self._shuffle = shuffle
        self.n_threads = n_threads
        self._n_prefetch = 1
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self.order_sampler = _statemachine.make_order_sampler(
            shuffle, order_sampler, "MultithreadIterator"
        )
        self.reset()

    def _dispatch(self, planned: _prefetch.Planned) -> None:
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(
                self.n_threads, thread_name_prefix="kusari-MultithreadIterator"
            )
        idx = planned.indices
        n = self.n_threads
        bounds = [len(idx) * k // n for k in range(n + 1)]
        planned.handle = [
            self._pool.submit(_fetch, self.dataset, idx[bounds[k] : bounds[k + 1]])
            for k in range(n)
            if bounds[k] < bounds[k + 1]
        ]

    def _collect(self, planned: _prefetch.Planned) -> list:
        batch: list = []
        for future in planned.handle:
            batch.extend(future.result())
        return batch

    def _discard(self, planned: _prefetch.Planned) -> None:
        concurrent.futures.wait(planned.handle)

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __del__(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
