"""The bookkeeping and the report shared by the function and link ``TimerHook``s.

Example:
    >>> records = TimerRecords()
    >>> records._start(0.0); records._start(1.0)
    >>> records._finish("Inner", 0.5); records._finish("Outer", 2.0)
    >>> records.total_time()  # the nested call is inside the outer one
    2.0
    >>> dict(records.summary()["Inner"])
    {'elapsed_time': 0.5, 'occurrence': 1}
"""

from __future__ import annotations

import collections
import sys
from typing import Any, TextIO

#: Seconds-to-unit factors accepted by ``print_report(unit=...)``.
TIME_UNITS = {"sec": 1, "ms": 10 ** 3, "us": 10 ** 6, "ns": 10 ** 9}


def output(file: TextIO | None) -> TextIO:
    """``file``, or the current ``sys.stdout`` when it is None.

    Example:
        >>> import sys
        >>> output(None) is sys.stdout
        True
    """
    return sys.stdout if file is None else file


def write_table(rows: list, file: TextIO) -> None:
    """Write ``rows`` right-aligned in columns two spaces apart, then flush ``file``.

    Example:
        >>> import io
        >>> buf = io.StringIO()
        >>> write_table([['Name', 'N'], ['ReLU', '12']], buf)
        >>> print(buf.getvalue(), end='')
        Name   N
        ReLU  12
    """
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        file.write("  ".join(cell.rjust(w) for cell, w in zip(row, widths)) + "\n")
    if hasattr(file, "flush"):
        file.flush()


def choose_time_unit(seconds: float) -> tuple[float, str]:
    """The largest of sec/ms/us in which ``seconds`` is at least 1, else ns.

    Example:
        >>> choose_time_unit(0.002)
        (1000.0, 'ms')
    """
    factor = 1.0
    for unit in ("sec", "ms", "us"):
        if seconds * factor >= 1:
            return factor, unit
        factor *= 1000.0
    return factor, "ns"


class TimerRecords:
    """Timed calls that may nest: a stack of running calls, the finished ones in order.

    Attributes:
        call_history: ``(name, elapsed_seconds)`` per finished call, in order of
            completion (a nested call comes before the one that contains it).

    Example:
        >>> records = TimerRecords()
        >>> records._start(0.0); records._finish("ReLU", 0.25)
        >>> records.call_history, records.total_time()
        ([('ReLU', 0.25)], 0.25)
    """

    #: Seconds-to-unit factors accepted by :meth:`print_report`.
    table = TIME_UNITS
    #: The first column's title in :meth:`print_report`.
    name_header = "Name"

    def __init__(self) -> None:
        self.call_history: list[tuple[str, float]] = []
        self._running_stack: list[Any] = []
        self._depth = 0
        self._total_time = 0.0

    def _start(self, started: Any) -> None:
        """Push a running call, ``started`` being whatever its end needs to time it."""
        self._running_stack.append(started)
        self._depth += 1

    def _stop(self) -> Any:
        """Pop the innermost running call and return its ``started``."""
        return self._running_stack.pop()

    def _finish(self, name: str, elapsed: float) -> None:
        """Record a finished call; only outermost calls add to :meth:`total_time`."""
        self.call_history.append((name, elapsed))
        self._depth -= 1
        if self._depth == 0:
            self._total_time += elapsed

    def total_time(self) -> float:
        """The elapsed seconds of the outermost calls, summed.

        Returns:
            Seconds (nested calls are inside their caller's time, so not added again).
        """
        return self._total_time

    def summary(self) -> collections.OrderedDict:
        """The elapsed time and the number of calls of each name.

        Returns:
            An ``OrderedDict`` from name (in order of first completion) to
            ``{'elapsed_time': seconds, 'occurrence': calls}``.
        """
        out: collections.OrderedDict = collections.OrderedDict()
        for name, elapsed in self.call_history:
            record = out.setdefault(name, {"elapsed_time": 0.0, "occurrence": 0})
            record["elapsed_time"] += elapsed
            record["occurrence"] += 1
        return out

    def print_report(self, unit: str = "auto", file: TextIO | None = None) -> None:
        """Print :meth:`summary` as a table: name, ElapsedTime, Occurrence.

        Args:
            unit: ``'sec'``, ``'ms'``, ``'us'`` or ``'ns'``; ``'auto'`` (one unit, chosen
                for the largest time) or ``'auto_foreach'`` (a unit chosen per row).
            file: Where to write (the current ``sys.stdout`` when None).

        Raises:
            ValueError: ``unit`` is none of the above.
        """
        if unit not in self.table and unit not in ("auto", "auto_foreach"):
            raise ValueError(f"unknown unit {unit!r}: use one of {sorted(self.table)}, "
                             "'auto' or 'auto_foreach'")
        summary = self.summary()
        factor: float = 1.0
        if unit == "auto":
            largest = max((r["elapsed_time"] for r in summary.values()), default=0.0)
            factor, unit = choose_time_unit(largest)
        elif unit in self.table:
            factor = self.table[unit]
        rows = [[self.name_header, "ElapsedTime", "Occurrence"]]
        for name, record in summary.items():
            seconds = record["elapsed_time"]
            shown = unit
            if unit == "auto_foreach":
                factor, shown = choose_time_unit(seconds)
            rows.append([name, f"{seconds * factor:3.2f}{shown}", str(record["occurrence"])])
        write_table(rows, output(file))
