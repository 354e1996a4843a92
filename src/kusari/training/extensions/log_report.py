"""LogReport: average the observations over an interval and keep a JSON log."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from kusari import reporter
from kusari import serializer as serializer_module
from kusari.training import extension
from kusari.training import trigger as trigger_module
from kusari.training.extensions._util import atomic_write, remove_stale_temporaries

__all__ = ["LogReport"]


class LogReport(extension.Extension):
    """Average reported values over each interval and append the means to a log.

    Each entry holds the means plus ``epoch``, ``iteration`` and ``elapsed_time``. The log is
    written to ``out/filename`` as a JSON list (indent 4) after every entry, atomically
    (temporary file, then :func:`os.replace`); optionally also as JSON lines, one entry per
    line. Values on a GPU are accumulated there and transferred once per entry.

    Args:
        keys: Observation keys to log (all scalars when None).
        trigger: Interval of the entries.
        postprocess: ``postprocess(entry)`` may edit each entry before it is stored.
        filename: Name of the JSON file inside the trainer's ``out`` (default ``'log'``);
            may be a format string filled with the entry (``'log_{epoch}'``); None with
            ``log_name=None`` writes no file. ``log_name`` is accepted as an alias.
        jsonl_filename: Name of an additional JSON-lines file, or None.

    Raises:
        TypeError: For unknown keyword arguments.

    Example:
        >>> # trainer.extend(LogReport(trigger=(100, 'iteration')))
        >>> LogReport().log
        []
    """

    def __init__(
        self,
        keys: Iterable[str] | None = None,
        trigger: Any = (1, "epoch"),
        postprocess: Callable[[dict], None] | None = None,
        filename: str | None = None,
        *,
        jsonl_filename: str | None = None,
        **kwargs: Any,
    ) -> None:
        log_name = kwargs.pop("log_name", "log")
        if kwargs:
            raise TypeError(f"LogReport: unexpected keyword arguments {sorted(kwargs)}")
        self._keys = None if keys is None else list(keys)
        self._trigger = trigger_module.get_trigger(trigger)
        self._postprocess = postprocess
        self._log_name = log_name if filename is None else filename
        self._jsonl_name = jsonl_filename
        self._log: list[dict[str, Any]] = []
        self._summary = reporter.DictSummary()

    def initialize(self, trainer: Any) -> None:
        """Remove temporary files a crashed run left while writing the log."""
        for name in (self._log_name, self._jsonl_name):
            if name is not None:
                remove_stale_temporaries(trainer.out, re.sub(r"\{[^}]*\}", "*", name))

    @property
    def log(self) -> list[dict[str, Any]]:
        """The entries so far (a list of dicts)."""
        return self._log

    def __call__(self, trainer: Any) -> None:
        """Accumulate this iteration's observation; at the interval's end, add an entry."""
        observation = trainer.observation
        if self._keys is None:
            self._summary.add(observation)
        else:
            self._summary.add({k: observation[k] for k in self._keys if k in observation})
        if not self._trigger(trainer):
            return
        entry = {k: float(v) for k, v in self._summary.compute_mean().items()}
        entry["epoch"] = trainer.updater.epoch
        entry["iteration"] = trainer.updater.iteration
        entry["elapsed_time"] = trainer.elapsed_time
        if self._postprocess is not None:
            self._postprocess(entry)
        self._log.append(entry)
        self._summary = reporter.DictSummary()
        self._write(trainer.out, entry)

    def _encoded(self) -> list[str]:
        """Each entry's JSON text as it sits in the list (indented one level), encoded
        once: the log is rewritten whole at every trigger."""
        cache = self.__dict__.setdefault("_encoded_cache", [])
        if len(cache) > len(self._log):
            cache.clear()
        for e in self._log[len(cache):]:
            cache.append("    " + json.dumps(e, indent=4).replace("\n", "\n    "))
        return cache

    def _write(self, out: str, entry: dict[str, Any]) -> None:
        # written atomically (a crash leaves the old or the new log, never a mix); no
        # fsync per entry: the log is rewritten at every trigger, snapshots are fsynced
        if self._log_name is not None:
            path = os.path.join(out, self._log_name.format(**entry))
            enc = self._encoded()
            text = "[\n" + ",\n".join(enc) + "\n]" if enc else "[]"
            atomic_write(path, lambda f: f.write(text), fsync=False)
        if self._jsonl_name is not None:
            path = os.path.join(out, self._jsonl_name.format(**entry))
            atomic_write(path, lambda f: f.writelines(json.dumps(e) + "\n" for e in self._log),
                         fsync=False)

    def serialize(self, serializer: serializer_module.AbstractSerializer) -> None:
        """Save or load the trigger, the running summary and the log (as JSON text)."""
        if hasattr(self._trigger, "serialize"):
            self._trigger.serialize(serializer["_trigger"])
        self._summary.serialize(serializer["_summary"])
        if isinstance(serializer, serializer_module.Serializer):
            serializer("_log", json.dumps(self._log))
        else:
            stored = serializer("_log", None)
            self._log = json.loads(str(stored.item() if hasattr(stored, "item") else stored))
            self.__dict__.pop("_encoded_cache", None)
