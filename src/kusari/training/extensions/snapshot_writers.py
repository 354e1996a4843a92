"""Snapshot writers: how (and in which thread or process) a snapshot reaches the disk.

Every writer here writes atomically: the snapshot goes to a temporary file (its name starts
with a dot) in the output directory, which then replaces the destination with
:func:`os.replace`. A crash at any moment leaves either the previous file or the new one.

The asynchronous writers (:class:`ThreadWriter`, :class:`ProcessWriter` and the queue
writers) first copy the state to host arrays in the training loop, so training can go on
changing the parameters while the copy is written.

Example:
    >>> from kusari.training import extensions
    >>> ext = extensions.snapshot(writer=ThreadWriter())
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import tempfile
import threading
from collections.abc import Callable
from typing import Any

import numpy

from kusari.serializers import npz

__all__ = [
    "Writer",
    "SimpleWriter",
    "StandardWriter",
    "ThreadWriter",
    "ProcessWriter",
    "QueueWriter",
    "ThreadQueueWriter",
    "ProcessQueueWriter",
]


class _Captured:
    """A frozen copy of an object's serialized state that serializes like the object."""

    def __init__(self, arrays: dict[str, numpy.ndarray]) -> None:
        self._arrays = arrays

    def serialize(self, serializer: Any) -> None:
        for key, value in self._arrays.items():
            serializer(key, value)


def _capture(target: Any) -> _Captured:
    s = npz.DictionarySerializer()
    s.save(target)
    return _Captured({k: numpy.array(v, copy=True) for k, v in s.target.items()})


class Writer:
    """Base of snapshot writers: ``writer(filename, outdir, target)`` saves ``target``.

    Args:
        savefun: ``savefun(path, target, **kwds)`` writing the file (default
            :func:`kusari.serializers.save_npz`).
        **kwds: Passed to ``savefun``.
    """

    def __init__(self, savefun: Callable[..., None] | None = None, **kwds: Any) -> None:
        self._savefun = npz.save_npz if savefun is None else savefun
        self._kwds = kwds

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        """Write ``target`` to ``outdir/filename``."""
        raise NotImplementedError

    def save(
        self,
        filename: str,
        outdir: str,
        target: Any,
        savefun: Callable[..., None] | None = None,
        **kwds: Any,
    ) -> None:
        """Write ``target`` to ``outdir/filename`` atomically.

        Args:
            filename: File name, possibly with subdirectories.
            outdir: Output directory.
            target: Object with ``serialize``.
            savefun: Save function (default: the writer's).
            **kwds: Passed to the save function (default: the writer's).

        Raises:
            Exception: Whatever ``savefun`` raises; the destination is left untouched.
        """
        savefun = self._savefun if savefun is None else savefun
        kwds = kwds or self._kwds
        outdir = os.path.join(outdir, os.path.dirname(filename))  # 'sub/name' works too
        filename = os.path.basename(filename)
        os.makedirs(outdir, exist_ok=True)
        if savefun is npz.save_npz:  # already atomic (and fsynced): no second copy
            npz.save_npz(os.path.join(outdir, filename), target, **kwds)
            return
        fd, tmp = tempfile.mkstemp(prefix="." + filename + ".", suffix=".tmp", dir=outdir)
        os.close(fd)
        try:
            savefun(tmp, target, **kwds)
            with open(tmp, "rb") as f:  # on disk before it takes the final name
                os.fsync(f.fileno())
            os.replace(tmp, os.path.join(outdir, filename))
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)

    def finalize(self) -> None:
        """Wait for pending writes (none for synchronous writers)."""


class SimpleWriter(Writer):
    """Write the snapshot synchronously, in the training loop (the default).

    Example:
        >>> writer = SimpleWriter()
        >>> # trainer.extend(extensions.snapshot(writer=writer))
    """

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        self.save(filename, outdir, target)


class _ThreadWorker(threading.Thread):
    def __init__(self, func: Callable[..., None], args: tuple) -> None:
        super().__init__(daemon=False)
        self._func, self._args = func, args
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._func(*self._args)
        except BaseException as e:  # re-raised in the training loop
            self.error = e


def _save_in_process(
    savefun: Callable[..., None], kwds: dict, filename: str, outdir: str, target: Any
) -> None:
    SimpleWriter(savefun, **kwds).save(filename, outdir, target)


def _consume_in_process(
    q: Any, savefun: Callable[..., None], kwds: dict, task: Callable[..., None] | None
) -> None:
    writer = SimpleWriter(savefun, **kwds)
    while True:
        item = q.get()
        if item is None:
            return
        (task or writer.save)(*item)


def _join(worker: Any) -> None:
    """Wait for a worker; raise its failure in the caller."""
    worker.join()
    if getattr(worker, "error", None) is not None:
        raise RuntimeError(f"snapshot writer: writing failed: {worker.error!r}") from worker.error
    if getattr(worker, "exitcode", 0):
        raise RuntimeError(
            f"snapshot writer: the writing process exited with code {worker.exitcode}"
        )


class StandardWriter(Writer):
    """Write each snapshot in a background worker; wait for the previous one first.

    Subclasses choose the worker with :meth:`create_worker`.
    """

    def __init__(self, savefun: Callable[..., None] | None = None, **kwds: Any) -> None:
        super().__init__(savefun, **kwds)
        self._worker: Any = None

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        captured = _capture(target)
        self.finalize()
        self._worker = self.create_worker(filename, outdir, captured)
        self._worker.start()

    def create_worker(self, filename: str, outdir: str, target: Any) -> Any:
        """A started-later object with ``start()`` and ``join()`` that saves ``target``."""
        raise NotImplementedError

    def finalize(self) -> None:
        """Wait for the pending write and raise if it failed."""
        worker, self._worker = self._worker, None
        if worker is not None:
            _join(worker)


class ThreadWriter(StandardWriter):
    """Write each snapshot in a new thread.

    Example:
        >>> # trainer.extend(extensions.snapshot(writer=ThreadWriter()))
        >>> ThreadWriter().create_worker.__name__
        'create_worker'
    """

    def create_worker(self, filename: str, outdir: str, target: Any) -> Any:
        return _ThreadWorker(self.save, (filename, outdir, target))


class ProcessWriter(StandardWriter):
    """Write each snapshot in a new process (the save function must be picklable).

    Example:
        >>> # trainer.extend(extensions.snapshot(writer=ProcessWriter()))
        >>> ProcessWriter().create_worker.__name__
        'create_worker'
    """

    def create_worker(self, filename: str, outdir: str, target: Any) -> Any:
        return multiprocessing.Process(
            target=_save_in_process, args=(self._savefun, self._kwds, filename, outdir, target)
        )


class QueueWriter(Writer):
    """Queue the snapshots to one long-lived worker that writes them in order.

    Args:
        savefun: Save function (default :func:`~kusari.serializers.save_npz`).
        task: Function ``task(filename, outdir, target)`` run by the worker for each
            snapshot (default: :meth:`Writer.save`).
    """

    def __init__(
        self, savefun: Callable[..., None] | None = None, task: Callable[..., None] | None = None
    ) -> None:
        super().__init__(savefun)
        self._task = task
        self._queue = self.create_queue()
        self._consumer = self.create_consumer(self._queue)
        self._consumer.start()
        self._finalized = False

    def create_queue(self) -> Any:
        """The queue between the training loop and the worker."""
        raise NotImplementedError

    def create_consumer(self, q: Any) -> Any:
        """The worker (with ``start()`` and ``join()``) running :meth:`consume` on ``q``."""
        raise NotImplementedError

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        if self._finalized:
            raise RuntimeError("QueueWriter: the writer was finalized")
        self._queue.put((filename, outdir, _capture(target)))

    def consume(self, q: Any) -> None:
        """Worker loop: write queued snapshots until the None sentinel."""
        while True:
            item = q.get()
            if item is None:
                return
            (self._task or self.save)(*item)

    def finalize(self) -> None:
        """Write what is queued, stop the worker and raise if a write failed."""
        if self._finalized:
            return
        self._finalized = True
        self._queue.put(None)
        _join(self._consumer)


class ThreadQueueWriter(QueueWriter):
    """A :class:`QueueWriter` whose worker is a thread.

    Example:
        >>> w = ThreadQueueWriter()
        >>> w.finalize()
    """

    def create_queue(self) -> Any:
        return queue.Queue()

    def create_consumer(self, q: Any) -> Any:
        return _ThreadWorker(self.consume, (q,))


class ProcessQueueWriter(QueueWriter):
    """A :class:`QueueWriter` whose worker is a process (``savefun`` and ``task`` must be
    picklable).

    Example:
        >>> # trainer.extend(extensions.snapshot(writer=ProcessQueueWriter()))
        >>> ProcessQueueWriter.__name__
        'ProcessQueueWriter'
    """

    def create_queue(self) -> Any:
        return multiprocessing.Queue()

    def create_consumer(self, q: Any) -> Any:
        return multiprocessing.Process(
            target=_consume_in_process, args=(q, self._savefun, self._kwds, self._task)
        )
