"""Helpers shared by extensions: atomic file writes."""

from __future__ import annotations

import fnmatch
import os
import tempfile
from collections.abc import Callable
from typing import Any


def remove_stale_temporaries(directory: str, pattern: str) -> None:
    """Remove temporary files a killed process left while writing files named ``pattern``.

    Temporary names are ``.NAME.XXXX.tmp`` (possibly nested, as when a save function makes
    its own temporary file next to ours).

    Args:
        directory: Where the files are written.
        pattern: Glob pattern of the final names (e.g. ``'snapshot_iter_*'``).
    """
    if not os.path.isdir(directory):
        return
    for name in fnmatch.filter(os.listdir(directory), ".*" + pattern + ".*.tmp"):
        try:
            os.remove(os.path.join(directory, name))
        except OSError:
            pass


def atomic_write(path: str, write: Callable[[Any], None], mode: str = "w",
                 fsync: bool = True) -> None:
    """Write a file so that readers (and a crash) see the old or the new content, never a mix.

    ``write(f)`` fills a temporary file in the same directory, which then replaces ``path``
    with :func:`os.replace`. Temporary names start with a dot.

    Args:
        path: Destination path.
        write: Function writing the content to the open file object.
        mode: ``'w'`` (text, UTF-8) or ``'wb'``.
        fsync: Flush to the disk before the rename (needed to survive a power loss,
            not a crash of the process).
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(
        prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory
    )
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            write(f)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
