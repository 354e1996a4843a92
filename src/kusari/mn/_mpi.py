"""Lazy access to mpi4py, the abort-on-exception hook's helpers and BLAS thread limits.

mpi4py is imported only when a communicator is created, so ``import kusari.mn`` works
(and its documentation builds) without MPI installed.
"""

from __future__ import annotations

import os
from typing import Any

_INSTALL_HINT = ("kusari.mn needs mpi4py and an MPI library: install the 'mpi' extra "
                 "(pip install 'kusari[mpi]', which brings mpi4py, Open MPI's mpiexec "
                 "and threadpoolctl)")

_blas_limiter: Any = None


def get_mpi() -> Any:
    """The ``mpi4py.MPI`` module.

    Raises:
        ImportError: mpi4py is missing; the message names the ``mpi`` extra.
    """
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise ImportError(f"{_INSTALL_HINT} ({e})") from e
    return MPI


def limit_blas_threads(intra_size: int) -> int | None:
    """Give each of the ``intra_size`` ranks on this host its share of the cores for BLAS.

    Nothing happens when the user chose a thread count (``OMP_NUM_THREADS``,
    ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``) or threadpoolctl is missing.

    Returns:
        The thread limit set, or None.
    """
    global _blas_limiter
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var):
            return None
    try:
        import threadpoolctl
    except ImportError:
        return None
    total = os.cpu_count() or 1
    try:
        mine = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        mine = total
    # a rank bound to some cores (mpiexec --bind-to) owns them; an unbound one shares all
    n = mine if mine < total else max(1, total // max(1, intra_size))
    _blas_limiter = threadpoolctl.threadpool_limits(limits=n, user_api="blas")
    return n
