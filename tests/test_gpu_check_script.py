"""The prepared GPU check, rehearsed on the CPU: it must run clean before a GPU is lent."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_gpu_check_dry_run_passes(tmp_path):
    env = dict(os.environ, GPU_CHECK_DRY_RUN="1", OUT=str(tmp_path), PYTHON=sys.executable,
               GPU_CHECK_BUDGET="300")
    out = subprocess.run(["bash", str(ROOT / ".ci" / "gpu_check.sh")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    summary = (tmp_path / "summary.txt").read_text()
    assert out.returncode == 0, summary + out.stdout[-3000:]
    for step in ("env", "gpu_tests", "bench_gpu", "suite"):
        assert f"{step}: ok" in summary
    # the GPU tests really ran (on @numpy): an option error would collect nothing
    log = (tmp_path / "gpu_tests.log").read_text()
    assert " passed" in log and "unrecognized arguments" not in log
