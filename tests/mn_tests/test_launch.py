"""Launch real 2-process jobs with mpiexec (from a plain pytest run, when MPI is installed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.mn_tests import _util

ROOT = Path(__file__).resolve().parents[2]

if _util.under_mpiexec():
    pytest.skip("launches mpiexec itself: run from a plain pytest", allow_module_level=True)

CMD = _util.mpiexec_command(2)
needs_mpiexec = pytest.mark.skipif(CMD is None, reason="mpiexec or mpi4py not installed")

CRASH = textwrap.dedent("""
    import sys, time
    import kusari.mn
    comm = kusari.mn.create_communicator('naive')
    if comm.rank == 1:
        time.sleep(0.5)
        raise RuntimeError('rank 1 fails on purpose')
    comm.recv_obj(source=1)  # rank 0 would wait here forever without MPI_Abort
    print('unreachable')
""")


@needs_mpiexec
@pytest.mark.parametrize("via_mpi4py", [False, True])
def test_exception_on_one_rank_aborts_the_job(tmp_path, via_mpi4py) -> None:  # noqa: ANN001
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    runner = [sys.executable, "-m", "mpi4py"] if via_mpi4py else [sys.executable]
    start = time.monotonic()
    proc = subprocess.run(CMD + runner + [str(script)], capture_output=True, text=True,
                          timeout=60, env=_util.mpi_env(), cwd=tmp_path)
    elapsed = time.monotonic() - start
    assert proc.returncode != 0
    assert "rank 1 fails on purpose" in proc.stderr + proc.stdout
    assert "unreachable" not in proc.stdout
    assert elapsed < 30, f"the job took {elapsed:.1f}s to die"


@needs_mpiexec
def test_two_rank_training_matches_one_process() -> None:
    # the MPI tests of the optimizer compare 2-rank training with a one-process run
    proc = subprocess.run(
        CMD + [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=no",
               "tests/mn_tests/test_optimizer.py", "-k", "global_batch or lazily"],
        capture_output=True, text=True, timeout=120, env=_util.mpi_env(), cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count("failed") == 0


def test_import_error_names_the_mpi_extra(tmp_path) -> None:  # noqa: ANN001
    # a process where mpi4py cannot be imported
    code = textwrap.dedent("""
        import sys
        sys.modules['mpi4py'] = None
        import kusari.mn
        try:
            kusari.mn.create_communicator('naive')
        except ImportError as e:
            print('MSG', e)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=_util.mpi_env())
    assert "kusari[mpi]" in proc.stdout, proc.stdout + proc.stderr
