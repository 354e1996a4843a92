"""A link hook that measures how long each link's ``forward`` takes."""

from __future__ import annotations

import time
from typing import Any

import numpy

from kusari import backend, link_hook
from kusari.utils import timer_report


def _on_gpu(args: Any) -> bool:
    """True when the called link lives on a GPU or any argument holds a CuPy array."""
    if args.link.xp is not numpy:
        return True
    return backend.get_array_module(*args.args, *args.kwargs.values()) is not numpy


class TimerHook(link_hook.LinkHook, timer_report.TimerRecords):
    """Link hook measuring the elapsed time of each link's ``forward``.

    On the CPU the time is taken with :func:`time.perf_counter`; when the link is on a
    GPU (or is given CuPy arrays) it is measured between two CUDA events, so it is the
    device time of the work queued by ``forward``. Links call links, so the times of a
    chain and of its children overlap; :meth:`total_time` counts only the outermost
    calls.

    Attributes:
        call_history: ``(link_name, elapsed_seconds)`` pairs, one per call, in the order
            the calls finished; ``link_name`` is the class name of the link.

    Example:
        >>> import numpy, kusari.links as L
        >>> from kusari.link_hooks import TimerHook
        >>> with TimerHook() as hook:
        ...     y = L.Linear(2, 3)(numpy.ones((1, 2), numpy.float32))
        >>> [name for name, _ in hook.call_history]
        ['Linear']
        >>> hook.summary()['Linear']['occurrence']
        1
    """

    name = "TimerHook"
    name_header = "LinkName"

    def __init__(self) -> None:
        timer_report.TimerRecords.__init__(self)

    def forward_preprocess(self, args: link_hook._ForwardPreprocessCallbackArgs) -> None:
        """Start timing the call."""
        if _on_gpu(args):
            import cupy

            start, stop = cupy.cuda.Event(), cupy.cuda.Event()
            start.record()
            self._start((start, stop))
        else:
            self._start(time.perf_counter())

    def forward_postprocess(self, args: link_hook._ForwardPostprocessCallbackArgs) -> None:
        """Stop timing the call and record it."""
        started = self._stop()
        if isinstance(started, tuple):
            import cupy

            start, stop = started
            stop.record()
            stop.synchronize()
            elapsed = cupy.cuda.get_elapsed_time(start, stop) / 1000  # ms -> s
        else:
            elapsed = time.perf_counter() - started
        self._finish(type(args.link).__name__, elapsed)
