"""ProgressBar: training progress, speed and ETA, in a terminal or a log file."""

from __future__ import annotations

import collections
import os
import sys
import time
from typing import IO, Any

from kusari.training import extension

__all__ = ["ProgressBar"]

_UP = "\x1b[{}A"  # cursor up: the next print (PrintReport) overwrites the bars
_ERASE_BELOW = "\x1b[J"


def _import_tqdm() -> Any:
    try:
        import tqdm
    except ImportError as e:
        raise ImportError(
            "ProgressBar needs tqdm; install it with "
            "`pip install kusari[progress]` (or `pip install tqdm`)"
        ) from e
    return tqdm.tqdm


class ProgressBar(extension.Extension):
    """Show the progress of training, its speed and the estimated time to finish.

    In a terminal (``out.isatty()``) two bars (whole training and current epoch) and a
    status line are redrawn in place every ``update_interval`` iterations, below the
    table PrintReport prints. In a file or a captured stream one plain line is appended per
    update instead, so logs stay readable. Lines are formatted by tqdm.

    Args:
        training_length: ``(length, unit)``; read from the stop trigger when None.
        update_interval: Iterations between updates.
        bar_length: Width of the bars in characters.
        out: Text stream (``sys.stdout`` when None, looked up at the first update).

    Raises:
        ImportError: If tqdm is missing (the ``progress`` extra).
        ValueError: If ``update_interval`` is not positive.

    Example:
        >>> import io
        >>> # trainer.extend(ProgressBar(update_interval=10))
        >>> ProgressBar(out=io.StringIO()).trigger
        (1, 'iteration')
    """

    def __init__(
        self,
        training_length: tuple[int | float, str] | None = None,
        update_interval: int = 100,
        bar_length: int = 50,
        out: IO[str] | None = None,
    ) -> None:
        if not (isinstance(update_interval, int) and update_interval > 0):
            raise ValueError(
                f"ProgressBar: update_interval must be a positive int, got {update_interval!r}"
            )
        self._tqdm = _import_tqdm()
        self._training_length = training_length
        self._update_interval = update_interval
        self._bar_length = bar_length
        self._out = out
        self._tty = False
        self._recent: collections.deque = collections.deque(maxlen=10)
        self._trainer: Any = None
        self._last_shown = -1

    def __call__(self, trainer: Any) -> None:
        """Update the display every ``update_interval`` iterations."""
        if self._trainer is None:
            if self._out is None:
                self._out = sys.stdout
            self._tty = bool(getattr(self._out, "isatty", lambda: False)())
        self._trainer = trainer
        iteration = trainer.updater.iteration
        self._recent.append((time.perf_counter(), iteration))
        if iteration % self._update_interval == 0:
            self._show(trainer)

    def finalize(self) -> None:
        """Clear the bars in a terminal; in a log, print the final state."""
        if self._trainer is None:
            return
        if self._tty:
            self._out.write(_ERASE_BELOW)
        elif self._last_shown != self._trainer.updater.iteration:
            self._show(self._trainer)
        self._out.flush()

    def _length(self, trainer: Any) -> tuple[int | float | None, str]:
        if self._training_length is None:
            get = getattr(trainer.stop_trigger, "get_training_length", None)
            self._training_length = get() if get is not None else (None, "iteration")
        return self._training_length

    def _rate(self) -> float | None:
        (t0, i0), (t1, i1) = self._recent[0], self._recent[-1]
        return (i1 - i0) / (t1 - t0) if t1 > t0 and i1 > i0 else None

    def _columns(self) -> int:
        try:
            columns = os.get_terminal_size(self._out.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
        return columns if columns > 0 else 80  # a fresh pseudo-terminal reports 0

    def _meter(
        self,
        prefix: str,
        n: int,
        total: int | None,
        elapsed: float,
        rate: float | None,
        stats: bool,
        bar_length: int | None = None,
    ) -> str:
        bar_length = self._bar_length if bar_length is None else bar_length
        tail = " [{elapsed}<{remaining}, {rate_fmt}]" if stats else ""
        bar_format = f"{{l_bar}}{{bar:{bar_length}}}| {{n_fmt}}/{{total_fmt}}{tail}"
        if total is None:
            bar_format = "{desc}: {n_fmt} iter" + tail.replace("<{remaining}", "")
        line = self._tqdm.format_meter(
            n,
            total,
            elapsed,
            prefix=prefix,
            unit="iter",
            ascii=not self._tty,
            bar_format=bar_format,
            rate=rate,
        )
        if self._tty:  # a wrapped line would break the redraw: shrink the bar to fit
            overflow = len(line) - (self._columns() - 1)
            if overflow > 0 and bar_length > 5:
                return self._meter(
                    prefix, n, total, elapsed, rate, stats, max(5, bar_length - overflow)
                )
        return line

    def _show(self, trainer: Any) -> None:
        self._last_shown = iteration = trainer.updater.iteration
        updater = trainer.updater
        length, unit = self._length(trainer)
        epoch_detail = updater.epoch_detail
        per_epoch = iteration / epoch_detail if epoch_detail > 0 else None
        if length is None:
            total = None
        elif unit == "iteration":
            total = int(length)
        else:
            total = round(length * per_epoch) if per_epoch else None
        rate, elapsed = self._rate(), trainer.elapsed_time
        meter = self._meter(
            "total".rjust(10) if self._tty else "total", iteration, total, elapsed, rate, True
        )
        epochs = f"epoch {updater.epoch}" + (f"/{length:g}" if unit == "epoch" else "")
        if not self._tty:
            self._out.write(f"{meter} {epochs}\n")
            self._out.flush()
            return
        lines = [meter]
        if per_epoch:
            in_epoch = round((epoch_detail - updater.epoch) * per_epoch)
            parts = meter.split("|")  # reuse the bar width, as shrunk to fit the terminal
            bar_length = len(parts[1]) if len(parts) > 2 else None
            lines.append(
                self._meter(
                    "this epoch", in_epoch, round(per_epoch), elapsed, rate, False, bar_length
                )
            )
        lines.append(f"{'':12}{epochs}, iteration {iteration}")
        self._out.write(_ERASE_BELOW + "\n".join(lines) + "\n" + _UP.format(len(lines)))
        self._out.flush()
