"""MultiprocessIterator: fetch examples in worker processes through shared memory.

Each planned batch gets a slot of shared memory. The batch's indices are written
into the slot, each worker is sent a tiny ``(batch, slot, start, stop)`` task, and
writes the arrays of its examples straight into the slot; only a small
description of each example (and any non-array fields) travels back through a
queue. Examples that do not fit in ``shared_mem`` bytes travel pickled instead.

Workers are daemonic processes started with ``fork`` on Linux (so datasets need
not be picklable) and the platform default elsewhere. They exit when the
iterator is finalized or garbage-collected, at interpreter exit, and on their
own when the parent process disappears. An exception raised by ``dataset[i]`` in
a worker is re-raised by ``next()`` in the main process with the worker's
traceback attached.

Example:
    >>> from kusari.iterators import MultiprocessIterator
    >>> with MultiprocessIterator(list(range(6)), 3, repeat=False, shuffle=False,
    ...                           n_processes=2) as it:
    ...     [b for b in it]
    [[0, 1, 2], [3, 4, 5]]
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import signal
import sys
import time
import traceback
import warnings
import weakref
from typing import Any

import numpy

from kusari.iterators import _prefetch, _statemachine

_ALIGN = 64
_POLL = 0.2  # seconds between liveness checks while waiting


def _align(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


class _ShmArray:
    """Where a worker put one array in the shared buffer."""

    __slots__ = ("offset", "shape", "dtype")

    def __init__(self, offset: int, shape: tuple, dtype: numpy.dtype) -> None:
        self.offset = offset
        self.shape = shape
        self.dtype = dtype

    def __reduce__(self) -> Any:
        return (_ShmArray, (self.offset, self.shape, self.dtype))


class _NoSpace(Exception):
    pass


def _is_plain_array(x: Any) -> bool:
    return type(x) is numpy.ndarray and not x.dtype.hasobject


def _nbytes(example: Any) -> int:
    """Bytes an example's arrays take in shared memory (with alignment)."""
    if _is_plain_array(example):
        return _align(example.nbytes)
    if type(example) in (tuple, list):
        return sum(_nbytes(x) for x in example)
    if type(example) is dict:
        return sum(_nbytes(x) for x in example.values())
    return 0


def _pack(example: Any, mem: numpy.ndarray, offset: int, end: int) -> tuple[Any, int]:
    """Copy the arrays of ``example`` into ``mem[offset:end]``; return its description."""
    if _is_plain_array(example):
        n = example.nbytes
        if offset + n > end:
            raise _NoSpace
        dst = mem[offset : offset + n].view(example.dtype).reshape(example.shape)
        dst[...] = example
        return _ShmArray(offset, example.shape, example.dtype), offset + _align(n)
    if type(example) in (tuple, list):
        out = []
        for x in example:
            packed, offset = _pack(x, mem, offset, end)
            out.append(packed)
        return type(example)(out), offset
    if type(example) is dict:
        packed_dict = {}
        for key, x in example.items():
            packed_dict[key], offset = _pack(x, mem, offset, end)
        return packed_dict, offset
    return example, offset


def _unpack(packed: Any, mem: numpy.ndarray) -> Any:
    """Rebuild an example from its description, copying its arrays out of ``mem``."""
    t = type(packed)
    if t is _ShmArray:
        n = packed.dtype.itemsize * math.prod(packed.shape)
        view = mem[packed.offset : packed.offset + n].view(packed.dtype).reshape(packed.shape)
        return view.copy()
    if t is tuple or t is list:
        return t(_unpack(x, mem) for x in packed)
    if t is dict:
        return {key: _unpack(x, mem) for key, x in packed.items()}
    return packed


def _set_parent_death_signal() -> None:
    """On Linux, have the kernel kill this worker when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(
    dataset: Any,
    task_conn: Any,
    results: Any,
    raw: Any,
    layout: tuple[int, int, int],
    parent_pid: int,
    wid: int,
) -> None:
    """Body of a worker: read tasks until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _set_parent_death_signal()
    batch_size, example_bytes, slot_bytes = layout
    mem = numpy.frombuffer(raw, dtype=numpy.uint8) if raw is not None else None
    while True:
        try:
            if not task_conn.poll(1.0):
                if os.getppid() != parent_pid:
                    return
                continue
            task = task_conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        entry_id, slot, start, stop, indices = task
        base = slot * slot_bytes
        if indices is None:
            indices = mem[base : base + 8 * batch_size].view(numpy.int64)[start:stop]
        data_base = base + 8 * batch_size
        out = []
        try:
            for k, index in enumerate(indices):
                example = dataset[int(index)]
                if mem is not None and example_bytes > 0:
                    lo = data_base + (start + k) * example_bytes
                    try:
                        example, _ = _pack(example, mem, lo, lo + example_bytes)
                    except _NoSpace:
                        pass
                out.append(example)
            message = pickle.dumps(("ok", wid, entry_id, start, out), pickle.HIGHEST_PROTOCOL)
        except BaseException as e:  # noqa: B036 - everything must reach the parent
            tb = traceback.format_exc()
            try:
                exc_bytes = pickle.dumps(e, pickle.HIGHEST_PROTOCOL)
                pickle.loads(exc_bytes)
            except Exception:
                exc_bytes = None
            message = pickle.dumps(("error", wid, entry_id, start, (exc_bytes, tb, repr(e))))
        results.put(message)


class _RemoteTraceback(Exception):
    def __init__(self, tb: str) -> None:
        super().__init__(tb)
        self.tb = tb

    def __str__(self) -> str:
        return f"\n\nTraceback in the worker process:\n{self.tb}"


class _Worker:
    def __init__(self, process: Any, conn: Any, wid: int) -> None:
        self.process = process
        self.conn = conn
        self.wid = wid
        self.sent = 0  # tasks sent in total
        self.pending = 0  # tasks without a result yet
        self.retiring = False


def _shutdown_workers(workers: list[_Worker], results: Any, timeout: float = 2.0) -> None:
    """Stop workers: ask politely, then terminate, then kill. Safe to call twice."""
    for w in workers:
        try:
            w.conn.send(None)
        except (OSError, ValueError):
            pass
    deadline = time.monotonic() + timeout
    for w in workers:
        w.process.join(max(0.0, deadline - time.monotonic()))
    for w in workers:
        if w.process.is_alive():
            w.process.terminate()
            w.process.join(1.0)
        if w.process.is_alive():
            w.process.kill()
            w.process.join(1.0)
    for w in workers:
        try:
            w.conn.close()
        except OSError:
            pass
        try:
            w.process.close()
        except ValueError:
            pass
    workers.clear()
    if results is not None:
        results.cancel_join_thread()
        results.close()


def _default_context(method: str | None) -> Any:
    if method is None and sys.platform.startswith("linux"):
        method = "fork"
    return multiprocessing.get_context(method)


class MultiprocessIterator(_prefetch.PrefetchIterator):
    """Iterator that loads examples in worker processes, ``n_prefetch`` batches ahead.

    Batches, epochs and orders are exactly those of
    :class:`~kusari.iterators.SerialIterator` with the same arguments and seed
    (the orders are drawn in the main process). Use it when ``dataset[i]`` costs
    CPU time in Python (augmentation, decoding), which threads cannot parallelise.

    Args:
        dataset: A dataset. With the ``fork`` start method (Linux) it is inherited
            by the workers; elsewhere it must be picklable.
        batch_size: Number of examples per batch.
        repeat: Whether to loop over the dataset endlessly.
        shuffle: True/False, or None to shuffle unless ``order_sampler`` is given.
        n_processes: Number of worker processes (default: the number of CPUs).
        n_prefetch: Number of batches fetched ahead.
        shared_mem: Bytes of shared memory per example for its arrays; None measures
            the first batch (computed in the main process) and adds a margin; 0
            sends everything pickled through the queue.
        order_sampler: A callable ``(current_order, current_position) -> order``.
        dataset_timeout: Seconds to wait for a batch before warning with
            :class:`MultiprocessIterator.TimeoutWarning` (None: never warn).
        maxtasksperchild: Replace each worker after this many tasks (None: never).

    Raises:
        ValueError: An argument is out of range, or both ``shuffle`` and
            ``order_sampler`` are given.

    Example:
        >>> import numpy
        >>> ds = [numpy.full(3, i, 'f') for i in range(4)]
        >>> it = MultiprocessIterator(ds, 2, shuffle=False, n_processes=2)
        >>> [float(x[0]) for x in it.next()]
        [0.0, 1.0]
        >>> it.finalize()
    """

    class TimeoutWarning(RuntimeWarning):
        """Warned when a batch takes longer than ``dataset_timeout`` seconds."""

    #: Start method of the workers; None means ``fork`` on Linux, else the default.
    start_method: str | None = None

    def __init__(
        self,
        dataset: Any,
        batch_size: int,
        repeat: bool = True,
        shuffle: bool | None = None,
        n_processes: int | None = None,
        n_prefetch: int = 1,
        shared_mem: int | None = None,
        order_sampler: Any = None,
        dataset_timeout: float | None = 30.0,
        maxtasksperchild: int | None = None,
    ) -> None:
        who = "MultiprocessIterator"
        if n_processes is None:
            n_processes = os.cpu_count() or 1
        _check_int(n_processes, "n_processes", 1)
        _check_int(n_prefetch, "n_prefetch", 1)
        if shared_mem is not None:
            _check_int(shared_mem, "shared_mem", 0)
        if maxtasksperchild is not None:
            _check_int(maxtasksperchild, "maxtasksperchild", 1)
        if dataset_timeout is not None and not dataset_timeout > 0:
            raise ValueError(
                f"{who}: dataset_timeout must be positive or None, got {dataset_timeout!r}"
            )
        self.dataset = dataset
        self.batch_size = _statemachine.check_batch_size(batch_size, who)
        self._repeat = repeat
        self._shuffle = shuffle
        self.n_processes = n_processes
        self.n_prefetch = n_prefetch
        self._n_prefetch = n_prefetch
        self.shared_mem = shared_mem
        self.dataset_timeout = dataset_timeout
        self.maxtasksperchild = maxtasksperchild
        self.order_sampler = _statemachine.make_order_sampler(shuffle, order_sampler, who)
        self._ctx = _default_context(self.start_method)
        self._workers: list[_Worker] = []
        self._results: Any = None
        self._raw: Any = None
        self._mem: numpy.ndarray | None = None
        self._layout = (self.batch_size, 0, 0)
        self._free_slots: list[int] = []
        self._next_id = 0
        self._next_worker = 0
        self._active: dict[int, _prefetch.Planned] = {}
        self._finalizer: Any = None
        self.reset()

    # ----- worker management -------------------------------------------------

    def _start(self, first: _prefetch.Planned | None) -> None:
        """Allocate shared memory (measuring ``first`` if needed) and start workers."""
        example_bytes = self.shared_mem
        if example_bytes is None:
            measured = max((_nbytes(ex) for ex in first.extra["batch"]), default=0)
            example_bytes = _align(int(measured * 1.1)) if measured else 0
        slot_bytes = 8 * self.batch_size + self.batch_size * example_bytes
        self._layout = (self.batch_size, example_bytes, slot_bytes)
        self._raw = self._ctx.RawArray("b", max(1, slot_bytes * self._n_prefetch))
        self._mem = numpy.frombuffer(self._raw, dtype=numpy.uint8)
        self._free_slots = list(range(self._n_prefetch))
        self._results = self._ctx.Queue()
        self._workers = []
        for _ in range(self.n_processes):
            self._spawn_worker()
        self._finalizer = weakref.finalize(self, _shutdown_workers, self._workers, self._results)

    def _spawn_worker(self) -> _Worker:
        recv, send = self._ctx.Pipe(duplex=False)
        wid = self._next_worker
        self._next_worker += 1
        process = self._ctx.Process(
            target=_worker_main,
            args=(self.dataset, recv, self._results, self._raw, self._layout, os.getpid(), wid),
            name=f"kusari-MultiprocessIterator-{wid}",
            daemon=True,
        )
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() in a process with threads; the workers only
            # run the dataset and never touch the parent's locks.
            warnings.filterwarnings(
                "ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning
            )
            process.start()
        recv.close()
        worker = _Worker(process, send, wid)
        self._workers.append(worker)
        return worker

    def _live_workers(self) -> list[_Worker]:
        return [w for w in self._workers if not w.retiring]

    def _send(self, task: tuple) -> None:
        live = self._live_workers()
        worker = min(live, key=lambda w: (w.pending, w.sent))
        try:
            if worker.process.exitcode is not None:
                raise OSError("worker exited")
            worker.conn.send(task)
        except OSError:
            code = worker.process.exitcode
            self.finalize()
            raise RuntimeError(
                f"MultiprocessIterator: worker process {worker.wid} died unexpectedly "
                f"(exit code {code})"
            ) from None
        worker.sent += 1
        worker.pending += 1
        if self.maxtasksperchild is not None and worker.sent >= self.maxtasksperchild:
            worker.retiring = True
            worker.conn.send(None)
            self._spawn_worker()

    def _shutdown(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._workers = []
        self._results = None
        self._raw = None
        self._mem = None
        self._free_slots = []
        self._active = {}

    # ----- the PrefetchIterator hooks ----------------------------------------

    def _dispatch(self, planned: _prefetch.Planned) -> None:
        planned.extra["id"] = self._next_id
        self._next_id += 1
        if self._results is None:
            if self.shared_mem is None:
                # Measure the first batch in this process, as Chainer does.
                planned.extra["batch"] = [self.dataset[int(i)] for i in planned.indices]
                self._start(planned)
                return
            self._start(None)
        slot = self._free_slots.pop()
        planned.extra["slot"] = slot
        n = len(planned.indices)
        base = slot * self._layout[2]
        self._mem[base : base + 8 * n].view(numpy.int64)[:] = planned.indices
        planned.extra["results"] = [None] * n
        bounds = [n * k // self.n_processes for k in range(self.n_processes + 1)]
        chunks = [
            (bounds[k], bounds[k + 1])
            for k in range(self.n_processes)
            if bounds[k] < bounds[k + 1]
        ]
        planned.extra["pending"] = len(chunks)
        self._active[planned.extra["id"]] = planned
        for start, stop in chunks:
            self._send((planned.extra["id"], slot, start, stop, None))

    def _wait_for(self, planned: _prefetch.Planned) -> None:
        """Receive results until every chunk of ``planned`` is in."""
        started = time.monotonic()
        warned = False
        while planned.extra.get("pending", 0) > 0:
            try:
                message = self._results.get(timeout=_POLL)
            except queue.Empty:
                self._check_workers()
                waited = time.monotonic() - started
                if (
                    self.dataset_timeout is not None
                    and not warned
                    and waited > self.dataset_timeout
                ):
                    warned = True
                    warnings.warn(
                        f"MultiprocessIterator: no batch for {waited:.1f} s (dataset_timeout="
                        f"{self.dataset_timeout}); the dataset may be stalled, e.g. by a lock or "
                        "a thread pool inherited through fork",
                        MultiprocessIterator.TimeoutWarning,
                        stacklevel=4,
                    )
                continue
            self._receive(message)

    def _receive(self, message: bytes) -> None:
        kind, wid, entry_id, start, payload = pickle.loads(message)
        for w in self._workers:
            if w.wid == wid:
                w.pending -= 1
        target = self._active.get(entry_id)
        if target is None:
            return  # a batch of workers that were shut down
        target.extra["pending"] -= 1
        if target.extra["pending"] == 0:
            del self._active[entry_id]
        if kind == "error":
            if not target.extra.get("dropped"):
                self._raise_worker_error(payload)
        else:
            target.extra["results"][start : start + len(payload)] = payload
        self._reap_retired()

    def _reap_retired(self) -> None:
        for w in list(self._workers):
            if w.retiring and w.pending == 0:
                w.process.join(5.0)
                if w.process.is_alive():
                    w.process.terminate()
                    w.process.join(1.0)
                w.conn.close()
                w.process.close()
                self._workers.remove(w)

    def _raise_worker_error(self, payload: tuple) -> None:
        exc_bytes, tb, text = payload
        exc = pickle.loads(exc_bytes) if exc_bytes is not None else None
        self.finalize()
        if exc is None:
            raise RuntimeError(
                f"MultiprocessIterator: a worker raised {text}"
            ) from _RemoteTraceback(tb)
        raise exc from _RemoteTraceback(tb)

    def _check_workers(self) -> None:
        """Raise if a worker died while it still owed results."""
        for w in self._workers:
            if w.pending > 0 and w.process.exitcode is not None:
                # Its last results may still be in the queue: give them a moment.
                deadline = time.monotonic() + 1.0
                while w.pending > 0 and time.monotonic() < deadline:
                    try:
                        self._receive(self._results.get(timeout=0.1))
                    except queue.Empty:
                        pass
                if w.pending > 0:
                    code = w.process.exitcode
                    pid = w.process.pid
                    self.finalize()
                    raise RuntimeError(
                        f"MultiprocessIterator: worker process {pid} died unexpectedly "
                        f"(exit code {code}) while loading a batch"
                    )

    def _collect(self, planned: _prefetch.Planned) -> list:
        if "batch" in planned.extra:
            return planned.extra.pop("batch")
        self._wait_for(planned)
        mem = self._mem
        batch = [_unpack(p, mem) for p in planned.extra["results"]]
        self._free_slots.append(planned.extra["slot"])
        return batch

    def _discard(self, planned: _prefetch.Planned) -> None:
        if "slot" not in planned.extra:
            return
        planned.extra["dropped"] = True
        try:
            self._wait_for(planned)
        finally:
            self._free_slots.append(planned.extra["slot"])

    def _drop_plan(self, wait: bool) -> None:
        super()._drop_plan(wait=wait and self._results is not None)
        if not wait:
            self._shutdown()

    def __copy__(self) -> MultiprocessIterator:
        """A new iterator with the same arguments and state, and no workers yet."""
        other = MultiprocessIterator(
            self.dataset,
            self.batch_size,
            self._repeat,
            shuffle=self._shuffle,
            n_processes=self.n_processes,
            n_prefetch=self.n_prefetch,
            shared_mem=self.shared_mem,
            order_sampler=self.order_sampler if self._shuffle is None else None,
            dataset_timeout=self.dataset_timeout,
            maxtasksperchild=self.maxtasksperchild,
        )
        other._state = self._state
        other._previous_epoch_detail = self._previous_epoch_detail
        other._init_plan()
        return other


def _check_int(value: Any, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, numpy.integer)) or value < minimum:
        raise ValueError(
            f"MultiprocessIterator: {name} must be an int >= {minimum}, got {value!r}"
        )
