"""TimerHook: the time each function's forward and backward takes."""

from __future__ import annotations

import time
from typing import Any

import numpy

from kusari import backend, function_hook
from kusari.function_hooks import _util
from kusari.utils import timer_report

#: The CPU clock (a module attribute so that tests can replace it).
_clock = time.perf_counter


class TimerHook(function_hook.FunctionHook, timer_report.TimerRecords):
    """Function hook measuring the elapsed time of every forward and backward.

    NumPy calls are timed with :func:`time.perf_counter`; calls whose arrays are CuPy
    arrays with CUDA events recorded on the current stream (synchronized at the end of
    each call). A function called while another is running (inside its forward or
    backward) is recorded too, but only outermost calls add to :meth:`total_time`.

    Attributes:
        call_history: ``(function_name, elapsed_seconds)`` per finished call, in order
            of completion (so a nested call comes before the one that contains it). The
            name is the implementing class's, as in Chainer (``'Exp'`` for ``F.exp``).

    Example:
        >>> import numpy, kusari, kusari.functions as F
        >>> from kusari.function_hooks import TimerHook
        >>> x = kusari.Variable(numpy.ones(3, numpy.float32))
        >>> with TimerHook() as hook:
        ...     F.sum(F.relu(x)).backward()
        >>> [(name, r['occurrence']) for name, r in hook.summary().items()][:2]
        [('ReLU', 2), ('Sum', 2)]
        >>> hook.print_report(unit='us')  # doctest: +ELLIPSIS
        FunctionName  ElapsedTime  Occurrence
                ReLU ...us ...
    """

    name = "TimerHook"
    name_header = "FunctionName"

    def __init__(self) -> None:
        timer_report.TimerRecords.__init__(self)

    # -- hook callbacks --------------------------------------------------------------------
    def forward_preprocess(self, function: Any, in_data: tuple) -> None:
        self._begin(backend.get_array_module(*in_data))

    def forward_postprocess(self, function: Any, in_data: tuple) -> None:
        self._end(function)

    def backward_preprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._begin(backend.get_array_module(*in_data, *out_grad))

    def backward_postprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._end(function)

    def _begin(self, xp: Any) -> None:
        if xp is numpy:
            self._start((None, _clock()))
        else:  # CuPy: time on the device, between two events of the current stream
            start = xp.cuda.Event()
            start.record()
            self._start((xp, start))

    def _end(self, function: Any) -> None:
        xp, start = self._stop()
        if xp is None:
            elapsed = _clock() - start
        else:
            stop = xp.cuda.Event()
            stop.record()
            stop.synchronize()
            elapsed = xp.cuda.get_elapsed_time(start, stop) / 1000.0  # ms -> s
        self._finish(_util.impl_name(function), elapsed)
