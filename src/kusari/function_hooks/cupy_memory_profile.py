"""CupyMemoryProfileHook: the CuPy memory-pool bytes each function takes (needs CuPy)."""

from __future__ import annotations

import collections
import functools
from typing import Any, TextIO

from kusari import function_hook
from kusari.function_hooks import _util

_UNITS = ("B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB")


@functools.cache
def _counter_class(cupy: Any) -> type:
    """``CupyMemoryCumulativeHook``: built on first use, as its base class is CuPy's."""

    class CupyMemoryCumulativeHook(cupy.cuda.memory_hook.MemoryHook):
        """A CuPy memory hook summing the bytes taken from the pool and from the GPU.

        Attributes:
            used_bytes: Bytes handed out by the memory pool so far.
            acquired_bytes: Bytes the memory pool allocated from the GPU so far.
        """

        name = "CupyMemoryCumulativeHook"

        def __init__(self) -> None:
            self.used_bytes = 0
            self.acquired_bytes = 0

        def alloc_preprocess(self, **kwargs: Any) -> None:
            self.acquired_bytes += kwargs["mem_size"]

        def malloc_preprocess(self, **kwargs: Any) -> None:
            self.used_bytes += kwargs["mem_size"]

    return CupyMemoryCumulativeHook


def _new_counter(what: str) -> Any:
    """A new ``CupyMemoryCumulativeHook``; RuntimeError naming ``what`` without CuPy."""
    return _counter_class(_util.require_cupy(what))()


def __getattr__(name: str) -> Any:
    if name == "CupyMemoryCumulativeHook":
        try:
            return _counter_class(_util.require_cupy(name))
        except RuntimeError as e:
            raise AttributeError(str(e)) from e
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _choose_unit(size: float) -> tuple[float, str]:
    """The largest binary unit (B, KB, ... ZB) in which ``size`` is at least 1."""
    denominator = 1.0
    if size <= 0:
        return denominator, _UNITS[0]
    for unit in _UNITS[:-1]:
        if size < denominator * 1024:
            return denominator, unit
        denominator *= 1024
    return denominator, _UNITS[-1]


class CupyMemoryProfileHook(function_hook.FunctionHook):
    """Function hook measuring the CuPy memory-pool bytes each forward and backward takes.

    While registered it keeps a CuPy memory hook counting *used* bytes (handed out by
    the memory pool) and *acquired* bytes (newly allocated by the pool from the GPU);
    each call records the increase of both. Only outermost calls add to the totals.

    Attributes:
        call_history: ``(function_name, used_bytes, acquired_bytes, depth)`` per
            finished call, ``depth`` being 0 for an outermost call.

    Raises:
        RuntimeError: On construction, when CuPy or a CUDA GPU is missing.

    Example:
        >>> import kusari.functions as F
        >>> from kusari.backends import cuda
        >>> from kusari.function_hooks import CupyMemoryProfileHook
        >>> try:
        ...     hook = CupyMemoryProfileHook()
        ... except RuntimeError:  # it needs CuPy and a CUDA GPU
        ...     hook = None
        >>> if hook is not None:
        ...     with hook:
        ...         y = F.relu(cuda.cupy.ones((256, 256), 'f'))
        ...     assert hook.summary()['ReLU']['occurrence'] == 1
    """

    name = "CupyMemoryProfileHook"
    _units = _UNITS
    _table = {u: 1024.0 ** i for i, u in enumerate(_UNITS)}

    def __init__(self) -> None:
        self._memory_hook = _new_counter("CupyMemoryProfileHook")
        self.call_history: list[tuple[str, int, int, int]] = []
        self._running_stack: list[tuple[int, int]] = []
        self._total_used_bytes = 0
        self._total_acquired_bytes = 0

    # -- hook callbacks --------------------------------------------------------------------
    def added(self, function: Any = None) -> None:
        self._memory_hook.__enter__()

    def deleted(self, function: Any = None) -> None:
        self._memory_hook.__exit__()

    def forward_preprocess(self, function: Any, in_data: tuple) -> None:
        self._start()

    def forward_postprocess(self, function: Any, in_data: tuple) -> None:
        self._stop(function)

    def backward_preprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._start()

    def backward_postprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._stop(function)

    def _start(self) -> None:
        counter = self._memory_hook
        self._running_stack.append((counter.used_bytes, counter.acquired_bytes))

    def _stop(self, function: Any) -> None:
        used0, acquired0 = self._running_stack.pop()
        used = self._memory_hook.used_bytes - used0
        acquired = self._memory_hook.acquired_bytes - acquired0
        depth = len(self._running_stack)
        self.call_history.append((_util.impl_name(function), used, acquired, depth))
        if depth == 0:
            self._total_used_bytes += used
            self._total_acquired_bytes += acquired

    # -- results ---------------------------------------------------------------------------
    def total_used_bytes(self) -> int:
        """Bytes the outermost calls took from the memory pool, summed."""
        return self._total_used_bytes

    def total_acquired_bytes(self) -> int:
        """Bytes the memory pool allocated from the GPU during outermost calls, summed."""
        return self._total_acquired_bytes

    def summary(self) -> collections.OrderedDict:
        """The bytes and the number of calls of each function.

        Nested calls are counted in their own rows and inside their caller's row too.

        Returns:
            An ``OrderedDict`` from function name to
            ``{'used_bytes': int, 'acquired_bytes': int, 'occurrence': int}``.
        """
        out: collections.OrderedDict = collections.OrderedDict()
        for name, used, acquired, _depth in self.call_history:
            record = out.setdefault(name, {"used_bytes": 0, "acquired_bytes": 0,
                                           "occurrence": 0})
            record["used_bytes"] += used
            record["acquired_bytes"] += acquired
            record["occurrence"] += 1
        return out

    def print_report(self, unit: str = "auto", file: TextIO | None = None) -> None:
        """Print :meth:`summary`: FunctionName, UsedBytes, AcquiredBytes, Occurrence.

        Args:
            unit: One of B, KB, MB, GB, TB, PB, EB, ZB; ``'auto'`` (per column, chosen for
                its largest value) or ``'auto_foreach'`` (chosen per value).
            file: Where to write (the current ``sys.stdout`` when None).

        Raises:
            ValueError: ``unit`` is none of the above.
        """
        if unit not in self._table and unit not in ("auto", "auto_foreach"):
            raise ValueError(f"unknown unit {unit!r}: use one of {list(_UNITS)}, 'auto' "
                             "or 'auto_foreach'")
        summary = self.summary()
        if unit == "auto" and summary:
            used_unit = _choose_unit(max(r["used_bytes"] for r in summary.values()))
            acquired_unit = _choose_unit(max(r["acquired_bytes"] for r in summary.values()))
        elif unit in self._table:
            used_unit = acquired_unit = (self._table[unit], unit)
        rows = [["FunctionName", "UsedBytes", "AcquiredBytes", "Occurrence"]]
        for name, record in summary.items():
            used, acquired = record["used_bytes"], record["acquired_bytes"]
            if unit == "auto_foreach":
                used_unit, acquired_unit = _choose_unit(used), _choose_unit(acquired)
            rows.append([name, f"{used / used_unit[0]:3.2f}{used_unit[1]}",
                         f"{acquired / acquired_unit[0]:3.2f}{acquired_unit[1]}",
                         str(record["occurrence"])])
        _util.write_table(rows, _util.output(file))
