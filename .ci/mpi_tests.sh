#!/usr/bin/env bash
# Run the kusari.mn MPI tests under mpiexec with 1 and 2 processes.
# Called from .ci/run; exits non-zero on failure; takes well under 3 minutes.
# Uses the repository's .venv when present (the 'mpi' extra: mpi4py, openmpi, threadpoolctl).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
BIN=$(dirname "$PY")
MPIEXEC=$BIN/mpiexec
[ -x "$MPIEXEC" ] || MPIEXEC=$(command -v mpiexec || true)
if [ -z "$MPIEXEC" ] || ! "$PY" -c "import mpi4py" 2>/dev/null; then
    echo "mpi_tests.sh: mpiexec or mpi4py missing; install the 'mpi' extra" >&2
    exit 1
fi

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=1 PYTHONUNBUFFERED=1
# a fresh machine may lack a writable TMPDIR for Open MPI's session directory
export TMPDIR=${TMPDIR:-/tmp}

status=0
for n in 1 2; do
    echo "== kusari.mn MPI tests, mpiexec -n $n"
    log=$(mktemp -d)
    if ! timeout 80 "$MPIEXEC" -n "$n" --oversubscribe \
            "$PY" -m pytest tests/mn_tests -o addopts= -q -p no:cacheprovider --color=no \
            -m mpi >"$log/out.txt" 2>&1; then
        status=1
        cat "$log/out.txt"
        echo "mpi_tests.sh: FAILED with $n process(es)" >&2
    else
        # the summary line of one rank (all ranks ran the same tests)
        grep -E "passed|failed" "$log/out.txt" | tail -n 1 || true
    fi
    rm -rf "$log"
done
exit $status
