"""PrintReport: print the LogReport's entries as a table."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any

from kusari import serializer as serializer_module
from kusari.training import _optional, extension
from kusari.training.extensions.log_report import LogReport

__all__ = ["PrintReport"]

_ERASE_BELOW = "\x1b[J"  # clear what a progress bar may have drawn below the cursor


class PrintReport(extension.Extension):
    """Print chosen entries of the log, one row per new log entry, under a header.

    Each column is ``max(len(name), 10)`` characters wide, columns are separated by two
    spaces, numbers are formatted with ``{:g}`` and missing values are left blank; the layout
    is Chainer's, so tools parsing Chainer's output keep working.

    Args:
        entries: Observation keys to show, e.g. ``['epoch', 'main/loss']``.
        log_report: The :class:`LogReport` or the name it was registered under.
        out: Text stream to print to (``sys.stdout`` at the time of printing when None).

    Example:
        >>> import io
        >>> p = PrintReport(['epoch', 'main/loss'], out=io.StringIO())
        >>> p._header
        'epoch       main/loss \\n'
    """

    def __init__(
        self,
        entries: Sequence[str],
        log_report: str | LogReport = "LogReport",
        out: IO[str] | None = None,
    ) -> None:
        self._entries = list(entries)
        self._log_report = log_report
        self._out = out
        self._log_len = 0
        self._widths = [max(len(e), 10) for e in self._entries]
        self._header = "  ".join(e.ljust(w) for e, w in zip(self._entries, self._widths)) + "\n"

    def __call__(self, trainer: Any) -> None:
        """Print the header once, then a row for every log entry not printed yet."""
        out = sys.stdout if self._out is None else self._out
        if self._header:
            out.write(self._header)
            self._header = ""
        log = self._get_log_report(trainer).log
        while self._log_len < len(log):
            out.write(_ERASE_BELOW + self._format_row(log[self._log_len]))
            self._log_len += 1
        out.flush()

    def _get_log_report(self, trainer: Any) -> LogReport:
        if isinstance(self._log_report, str):
            return trainer.get_extension(self._log_report)
        return self._log_report

    def _format_row(self, entry: dict[str, Any]) -> str:
        cells = []
        for key, width in zip(self._entries, self._widths):
            if key not in entry:
                cells.append(" " * (width + 2))
                continue
            value = entry[key]
            try:
                cells.append(f"{value:<{width}g}  ")
            except (TypeError, ValueError):
                cells.append(f"{value!s:<{width}}  ")
        return "".join(cells) + "\n"

    def serialize(self, serializer: serializer_module.AbstractSerializer) -> None:
        """Save or load how many entries were printed (and an owned LogReport)."""
        if isinstance(self._log_report, LogReport):
            self._log_report.serialize(serializer["_log_report"])
        self._log_len = int(_optional.value(serializer, "_log_len", self._log_len))
