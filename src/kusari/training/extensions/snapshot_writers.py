"""Snapshot writers: how a snapshot reaches the disk.

Every writer here writes atomically: the snapshot goes to a temporary file (its name starts
with a dot) in the output directory, which then replaces the destination with
:func:`os.replace`. A crash at any moment leaves either the previous file or the new one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

from kusari.serializers import npz

__all__ = ["Writer", "SimpleWriter", "StandardWriter"]


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

    def save(self, filename: str, outdir: str, target: Any) -> None:
        """Write ``target`` to ``outdir/filename`` atomically with ``savefun``.

        Raises:
            Exception: Whatever ``savefun`` raises; the destination is left untouched.
        """
        outdir = os.path.join(outdir, os.path.dirname(filename))  # 'sub/name' works too
        filename = os.path.basename(filename)
        os.makedirs(outdir, exist_ok=True)
        if self._savefun is npz.save_npz:  # already atomic (and fsynced): no second copy
            npz.save_npz(os.path.join(outdir, filename), target, **self._kwds)
            return
        fd, tmp = tempfile.mkstemp(prefix="." + filename + ".", suffix=".tmp", dir=outdir)
        os.close(fd)
        try:
            self._savefun(tmp, target, **self._kwds)
            with open(tmp, "rb") as f:  # on disk before it takes the final name
                os.fsync(f.fileno())
            os.replace(tmp, os.path.join(outdir, filename))
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)

    def finalize(self) -> None:
        """Wait for pending writes (none for synchronous writers)."""


class SimpleWriter(Writer):
    """Write the snapshot synchronously, in the training loop.

    Example:
        >>> writer = SimpleWriter()
        >>> # trainer.extend(extensions.snapshot(writer=writer))
    """

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        self.save(filename, outdir, target)


StandardWriter = SimpleWriter
