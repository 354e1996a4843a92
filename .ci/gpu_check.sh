#!/usr/bin/env bash
# The GPU check: ONE prepared script for a session lent an NVIDIA GPU (see docs/gpu.md).
#
# Run from the repository root on the GPU machine (it has CuPy, PyTorch, pytest; not
# kusari's venv, and no network):    bash .ci/gpu_check.sh
# Logs and results go to $OUT (the device tool's folder) when set, else to a new temporary
# folder. Steps, in order of value, each under its own time limit so that one slow step
# cannot eat the others' results; the whole run stays under GPU_CHECK_BUDGET seconds
# (default 450, i.e. 7.5 minutes):
#   0. environment: nvidia-smi, Python, NumPy, CuPy, PyTorch versions; CuPy sees the GPU
#   1. tests/gpu_tests on @cupy:0 (device plumbing, training equivalence, F.* smoke, ...)
#   2. benchmarks/bench_gpu.py --quick (kusari vs PyTorch CUDA steps/s)
#   3. the whole test suite with --device=@cupy:0, with whatever time is left
# At most 7 files land in $OUT (the device tool returns 8): env.log, gpu_tests.log,
# gpu_tests.xml, bench_gpu.log, bench_gpu.json, suite.log, summary.txt.
# Exit status: 0 when every step passed, else 1. The summary is printed at the end and
# written to $OUT/summary.txt.
#
# GPU_CHECK_DRY_RUN=1 rehearses the script on a machine without a GPU: @numpy stands in for
# the GPU (KUSARI_GPU_TESTS_ON_CPU=1), the benchmark runs tiny batches on the CPU, and the
# suite step runs one small test file.
set -uo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-$(mktemp -d /tmp/kusari-gpu-check.XXXXXX)}
mkdir -p "$OUT"
BUDGET=${GPU_CHECK_BUDGET:-450}
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || PY=python
# kusari from this checkout, without installing it (the machine cannot fetch a build
# backend); wheels carried in .whl/ (see docs/gpu.md) are installed first when present
if ls .whl/*.whl >/dev/null 2>&1; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/kusari-site .whl/*.whl && export PYTHONPATH=/tmp/kusari-site
fi
export PYTHONPATH=$PWD/src:$PWD${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 MPLBACKEND=Agg

DRY=${GPU_CHECK_DRY_RUN:-0}
if [ "$DRY" = 1 ]; then
    DEV=@numpy
    export KUSARI_GPU_TESTS_ON_CPU=1
    BENCH_ARGS=(--device @numpy --torch-device cpu --batches 8)
    SUITE=(tests/test_backend.py)
else
    DEV=@cupy:0
    BENCH_ARGS=()
    SUITE=(--ignore=tests/gpu_tests tests)
fi
export KUSARI_TEST_DEVICE=$DEV

start=$(date +%s)
summary=$OUT/summary.txt
: >"$summary"
status=0

left() { echo $((BUDGET - ($(date +%s) - start))); }

note() { echo "$*" | tee -a "$summary"; }

# run NAME LIMIT CMD...: run a step under `timeout`, log to $OUT/NAME.log, note the result
run() {
    local name=$1 limit=$2
    shift 2
    local t0 rc took cmd="$*"
    t0=$(date +%s)
    echo "== $name (limit ${limit}s): ${cmd:0:240}"
    timeout -k 10 "$limit" "$@" >"$OUT/$name.log" 2>&1
    rc=$?
    took=$(($(date +%s) - t0))
    if [ $rc -eq 0 ]; then
        note "$name: ok (${took}s)"
    elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        note "$name: TIMED OUT after ${took}s (partial log in $name.log)"
        status=1
    else
        note "$name: FAILED rc=$rc (${took}s)"
        status=1
    fi
    tail -n 25 "$OUT/$name.log" | sed "s/^/  $name| /"  # the step's closing lines
    return $rc
}

PYTEST=("$PY" -m pytest -p no:cacheprovider -p kusari.testing._pytest_plugin -o addopts= -q --color=no
        -rfE --tb=short)
if "$PY" -c "import pytest_timeout" 2>/dev/null; then
    PYTEST+=(--timeout=120)
fi
# A fresh machine has an empty CuPy kernel cache: every new elementwise / reduction kernel
# is compiled by NVRTC on first use (a tenth of a second or so each, hundreds of them).
# pytest-xdist spreads that over the CPU cores; the workers share the GPU and the cache.
XDIST=()
if "$PY" -c "import xdist" 2>/dev/null; then
    XDIST=(-n 8)
fi

# 0. environment -------------------------------------------------------------------------
read -r -d '' ENV_PY <<'PYEOF'
import os, platform, sys
import numpy
print("python", platform.python_version(), "numpy", numpy.__version__)
dev = os.environ["KUSARI_TEST_DEVICE"]
try:
    import cupy
    print("cupy", cupy.__version__, "cuda runtime", cupy.cuda.runtime.runtimeGetVersion(),
          "devices", cupy.cuda.runtime.getDeviceCount())
except Exception as e:  # ImportError or a CUDA error
    print("cupy unusable:", repr(e))
try:
    import torch
    print("torch", torch.__version__, "cuda", torch.cuda.is_available())
except ImportError as e:
    print("torch missing:", e)
import kusari
from kusari.backends import cuda
print("kusari", kusari.__file__, "cuda.available", cuda.available)
a = kusari.backend.get_device(dev).send(numpy.arange(3, dtype=numpy.float32))
print("an array on", dev, type(a), a * 2)
sys.exit(0 if cuda.available or dev == "@numpy" else 1)
PYEOF
run env 90 "$PY" -c "$ENV_PY"
env_rc=$?
{ echo "== nvidia-smi"; nvidia-smi 2>&1; } >>"$OUT/env.log"
if [ $env_rc -ne 0 ]; then
    note "gpu_check: CuPy or the GPU is unusable; the remaining steps would only skip"
    note "total: $(($(date +%s) - start))s, FAILED"
    exit 1
fi

# 1. the GPU tests -----------------------------------------------------------------------
limit=$(( $(left) < 150 ? $(left) : 150 ))
run gpu_tests "$limit" "${PYTEST[@]}" "${XDIST[@]}" --device="$DEV" --junitxml="$OUT/gpu_tests.xml" \
    tests/gpu_tests

# 2. the benchmark -----------------------------------------------------------------------
limit=$(( $(left) < 150 ? $(left) : 150 ))
if [ "$limit" -gt 20 ]; then
    run bench_gpu "$limit" "$PY" benchmarks/bench_gpu.py --quick \
        --json "$OUT/bench_gpu.json" "${BENCH_ARGS[@]}"
else
    note "bench_gpu: not run (no time left)"
    status=1
fi

# 3. the whole suite on the GPU, with the time left --------------------------------------
limit=$(( $(left) - 10 ))
if [ "$limit" -gt 30 ]; then
    EXTRA=("${XDIST[@]}")
    [ ${#XDIST[@]} -gt 0 ] && EXTRA+=(--dist loadfile)  # a test file stays in one worker
    # end the session gracefully (with its failure summary) before `timeout` kills it
    if "$PY" -m pytest --help 2>/dev/null | grep -q -- --session-timeout; then
        EXTRA+=(--session-timeout=$((limit - 25)))
    fi
    run suite "$limit" "${PYTEST[@]}" "${EXTRA[@]}" --device="$DEV" --maxfail=200 \
        "${SUITE[@]}"
else
    note "suite: not run (no time left)"
    status=1
fi

note "total: $(($(date +%s) - start))s, $([ $status -eq 0 ] && echo ok || echo FAILED)"
echo "logs in $OUT"
exit $status
