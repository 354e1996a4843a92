"""Abort the whole MPI job when one rank dies of an uncaught exception.

Without this, the other ranks wait forever in their next collective. kusari.mn installs
the hook when it creates a communicator of size > 1; ``python -m mpi4py script.py`` does
the same on its own, and both together are harmless. Setting the environment variable
``CHAINERMN_FORCE_ABORT_ON_EXCEPTION`` (or ``KUSARI_MN_FORCE_ABORT_ON_EXCEPTION``)
installs it at import time.

Example:
    >>> from kusari.mn import global_except_hook
    >>> callable(global_except_hook.add_hook)
    True
"""

from __future__ import annotations

import os
import sys
from typing import Any

_orig_except_hook: Any = None


def _global_except_hook(exctype: type, value: BaseException, tb: Any) -> None:
    """Print the traceback, then call ``MPI_Abort`` so every rank stops."""
    try:
        hook = _orig_except_hook or sys.__excepthook__
        hook(exctype, value, tb)
    finally:
        try:
            from mpi4py import MPI

            rank = MPI.COMM_WORLD.Get_rank()
            sys.stderr.write(f"\nkusari.mn: uncaught exception on rank {rank}; "
                             "calling MPI_Abort to stop all ranks\n")
            sys.stderr.flush()
            MPI.COMM_WORLD.Abort(1)
        except Exception as e:  # MPI itself is broken: nothing more can be done
            sys.stderr.write(f"kusari.mn: MPI_Abort failed ({e}); other ranks may hang\n")
            sys.stderr.flush()


def add_hook() -> None:
    """Install the abort hook as ``sys.excepthook`` (once; later calls do nothing)."""
    global _orig_except_hook
    if sys.excepthook is _global_except_hook:
        return
    _orig_except_hook = sys.excepthook
    sys.excepthook = _global_except_hook


def remove_hook() -> None:
    """Restore the excepthook that :func:`add_hook` replaced."""
    global _orig_except_hook
    if sys.excepthook is _global_except_hook:
        sys.excepthook = _orig_except_hook or sys.__excepthook__
        _orig_except_hook = None


def _add_hook_if_enabled() -> None:
    for var in ("CHAINERMN_FORCE_ABORT_ON_EXCEPTION", "KUSARI_MN_FORCE_ABORT_ON_EXCEPTION"):
        if os.environ.get(var):
            add_hook()
            return
