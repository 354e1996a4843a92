"""Helpers of the kusari.mn tests.

The MPI tests run only when the process was started by ``mpiexec`` (``.ci/mpi_tests.sh``
runs them with 1 and 2 processes); a plain ``pytest`` run skips them without importing
mpi4py, so MPI is never initialized in the main test process.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

_LAUNCH_VARS = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS")


def under_mpiexec() -> bool:
    return any(v in os.environ for v in _LAUNCH_VARS)


def require_mpi() -> None:
    """Skip the calling module unless launched by mpiexec with mpi4py installed."""
    if not under_mpiexec():
        pytest.skip("MPI test: run under mpiexec (see .ci/mpi_tests.sh)",
                    allow_module_level=True)
    pytest.importorskip("mpi4py")


def world_size() -> int:
    from mpi4py import MPI

    return MPI.COMM_WORLD.size


def needs_two(comm) -> None:  # noqa: ANN001
    if comm.size < 2:
        pytest.skip("needs 2 MPI processes")


def mpiexec_command(n: int) -> list[str] | None:
    """The mpiexec command line for ``n`` processes, or None without mpiexec/mpi4py."""
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return None
    local = Path(sys.executable).parent / "mpiexec"
    exe = str(local) if local.exists() else shutil.which("mpiexec")
    if exe is None:
        return None
    cmd = [exe, "-n", str(n), "--oversubscribe"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


def mpi_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    for var in _LAUNCH_VARS:  # a nested launch must not look like a rank of ours
        env.pop(var, None)
    return env
