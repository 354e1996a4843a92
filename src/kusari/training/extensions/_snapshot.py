"""snapshot and snapshot_object: save (and resume from) the training state."""

from __future__ import annotations

import fnmatch
import os
import re
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

from kusari.serializers import npz
from kusari.training import extension
from kusari.training.extensions import snapshot_writers
from kusari.training.extensions._util import remove_stale_temporaries

__all__ = ["snapshot", "snapshot_object"]


def _always_true() -> bool:
    return True


def _pattern(filename: str) -> str:
    """A glob pattern matching the names a filename template can produce."""
    return re.sub(r"\{[^}]*\}", "*", filename)


def _snapshot_files(filename: str, outdir: str) -> list[str]:
    """Paths matching the template in ``outdir``, newest first (temporary files skipped)."""
    outdir = os.path.join(outdir, os.path.dirname(filename))
    pattern = _pattern(os.path.basename(filename))
    if not os.path.isdir(outdir):
        return []
    found = []
    for entry in os.scandir(outdir):
        if entry.name.startswith(".") or not entry.is_file():
            continue
        if fnmatch.fnmatchcase(entry.name, pattern):
            found.append((entry.stat().st_mtime_ns, entry.name, entry.path))
    found.sort(reverse=True)
    return [path for _, _, path in found]


def _check_npz(path: str) -> None:
    """Raise if ``path`` is not a complete, uncorrupted zip (``.npz``) file."""
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()
    if bad is not None:
        raise zipfile.BadZipFile(f"member {bad!r} is corrupt")


class _Snapshot(extension.Extension):
    """Extension saving ``target`` (the trainer when None); see :func:`snapshot`."""

    trigger = 1, "epoch"
    priority = extension.PRIORITY_READER - 200

    def __init__(
        self,
        target: Any = None,
        condition: Callable[[], bool] | None = None,
        writer: Any = None,
        filename: str | Callable[[Any], str] = "snapshot_iter_{.updater.iteration}",
        snapshot_on_error: bool = False,
        n_retains: int = -1,
        autoload: bool = False,
        loadfun: Callable[[str, Any], None] | None = None,
    ) -> None:
        if isinstance(n_retains, bool) or not isinstance(n_retains, int):
            raise TypeError(f"snapshot: n_retains must be an int, got {n_retains!r}")
        self._target = target
        self.filename = filename
        self.condition = _always_true if condition is None else condition
        self.writer = snapshot_writers.SimpleWriter() if writer is None else writer
        self._snapshot_on_error = snapshot_on_error
        self.n_retains = n_retains
        self.autoload = autoload
        self._loadfun = npz.load_npz if loadfun is None else loadfun

    def initialize(self, trainer: Any) -> None:
        """With ``autoload``, load the newest valid snapshot in ``trainer.out``, if any.

        Snapshots that fail to load (truncated or corrupt files) are skipped with a
        warning, and older ones are tried. Temporary files of writes interrupted by a crash
        are removed.
        """
        if not self.autoload or callable(self.filename):
            return
        directory = os.path.join(trainer.out, os.path.dirname(self.filename))
        remove_stale_temporaries(directory, _pattern(os.path.basename(self.filename)))
        target = trainer if self._target is None else self._target
        for path in _snapshot_files(self.filename, trainer.out):
            try:
                if self._loadfun is npz.load_npz:
                    _check_npz(path)
                self._loadfun(path, target)
            except Exception as e:
                warnings.warn(
                    f"snapshot autoload: skipping {path}, which cannot be "
                    f"loaded ({type(e).__name__}: {e})",
                    RuntimeWarning,
                    stacklevel=2,
                )
                continue
            return

    def __call__(self, trainer: Any) -> None:
        """Save a snapshot when ``condition()`` holds."""
        if self.condition():
            self._make_snapshot(trainer)

    def on_error(self, trainer: Any, exc: BaseException, tb: Any) -> None:
        """Save a snapshot of the failed state when ``snapshot_on_error`` is set."""
        if self._snapshot_on_error:
            self._make_snapshot(trainer)

    def finalize(self) -> None:
        """Let the writer finish pending writes."""
        finalize = getattr(self.writer, "finalize", None)
        if finalize is not None:
            finalize()

    def _make_snapshot(self, trainer: Any) -> None:
        target = trainer if self._target is None else self._target
        if callable(self.filename):
            filename = self.filename(trainer)
        else:
            filename = self.filename.format(trainer)
        self.writer(filename, trainer.out, target)
        if self.n_retains > 0 and not callable(self.filename):
            for old in _snapshot_files(self.filename, trainer.out)[self.n_retains :]:
                os.remove(old)


def snapshot(
    savefun: Callable[..., None] | None = None,
    filename: str | Callable[[Any], str] = "snapshot_iter_{.updater.iteration}",
    **kwargs: Any,
) -> _Snapshot:
    """An extension saving the whole trainer, from which training can resume.

    The snapshot holds the updater (iterators, optimizers, models, iteration), the
    extensions' and triggers' states, the elapsed time and the global random states
    (NumPy's and Python's; see :meth:`Trainer.serialize`), so a resumed run continues
    exactly like an uninterrupted one. Files are written atomically.

    Args:
        savefun: ``savefun(path, target)`` (default :func:`~kusari.serializers.save_npz`);
            not together with ``writer``.
        filename: Template formatted with the trainer (``'snapshot_iter_{.updater.iteration}'``)
            or a function of the trainer returning the name.
        target: Object to save instead of the trainer (keyword).
        condition: Function of no argument; the snapshot is taken only when it returns
            True (keyword).
        writer: A snapshot writer (keyword, see :mod:`snapshot_writers`).
        snapshot_on_error: Also save when training fails (keyword).
        n_retains: Keep only the newest ``n_retains`` snapshots; -1 keeps all (keyword).
        autoload: Before training, resume from the newest valid snapshot in ``out``,
            skipping corrupt ones (keyword).
        loadfun: ``loadfun(path, target)`` for autoload (default
            :func:`~kusari.serializers.load_npz`) (keyword).

    Returns:
        The extension (trigger ``(1, 'epoch')``, priority ``PRIORITY_READER - 200``, so it
        runs after the other extensions of the iteration).

    Raises:
        TypeError: If both ``savefun`` and ``writer`` are given, or for unknown arguments.

    Example:
        >>> ext = snapshot(n_retains=2, autoload=True)
        >>> ext.trigger, ext.autoload
        ((1, 'epoch'), True)
    """
    unknown = set(kwargs) - {
        "target",
        "condition",
        "writer",
        "snapshot_on_error",
        "n_retains",
        "autoload",
        "loadfun",
    }
    if unknown:
        raise TypeError(f"snapshot: unexpected keyword arguments {sorted(unknown)}")
    if savefun is not None:
        if kwargs.get("writer") is not None:
            raise TypeError("snapshot: give savefun or writer, not both")
        kwargs["writer"] = snapshot_writers.SimpleWriter(savefun=savefun)
    return _Snapshot(filename=filename, **kwargs)


def snapshot_object(
    target: Any,
    filename: str | Callable[[Any], str],
    savefun: Callable[..., None] | None = None,
    **kwargs: Any,
) -> _Snapshot:
    """An extension saving one object (a model, an optimizer...) instead of the trainer.

    Args:
        target: Object with a ``serialize`` method.
        filename: Template formatted with the trainer, e.g. ``'model_epoch_{.updater.epoch}'``.
        savefun: ``savefun(path, target)`` (default :func:`~kusari.serializers.save_npz`).
        **kwargs: ``condition``, ``writer``, ``snapshot_on_error``, ``n_retains``,
            ``autoload``, ``loadfun`` as in :func:`snapshot`.

    Returns:
        The extension.

    Example:
        >>> ext = snapshot_object(object(), 'model_{.updater.epoch}')
        >>> ext.filename
        'model_{.updater.epoch}'
    """
    return snapshot(savefun=savefun, filename=filename, target=target, **kwargs)
