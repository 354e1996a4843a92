"""A Chainer-style test suite (``chainer_suite/``, written against ``chainer.testing`` and
also passing on the reference Chainer 7.8.1) runs unchanged on kusari through
``pytest -p kusari.compat``."""

import os
import pathlib
import re
import subprocess
import sys

from kusari.backends import cuda

HERE = pathlib.Path(__file__).resolve().parent
SUITE = HERE / "chainer_suite"
SRC = HERE.parents[1] / "src"


def _pytest(*args):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "kusari.compat", "-q", "-rs",
                          *args, "."], cwd=SUITE, env=env, capture_output=True, text=True,
                         timeout=600)
    counts = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|skipped|deselected|"
                                               r"errors?)", out.stdout.splitlines()[-1])}
    return out, counts


def test_suite_passes_unchanged():
    out, counts = _pytest()
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr
    assert "failed" not in counts and "error" not in counts and "errors" not in counts
    # 108 tests: every CPU configuration passes; the CUDA ones need a GPU
    if cuda.available:
        assert counts["passed"] >= 46 and counts["passed"] + counts.get("skipped", 0) == 108
    else:
        assert counts == {"passed": 46, "skipped": 62}
        assert "CUDA is not available" in out.stdout


def test_marks_select_as_in_chainer():
    out, counts = _pytest("-m", "not gpu and not slow")
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr
    assert counts == {"passed": 45, "deselected": 63}
    out, counts = _pytest("-m", "slow")
    assert out.returncode == 0 and counts == {"passed": 1, "deselected": 107}


def test_suite_with_the_device_option():
    out, counts = _pytest("-p", "kusari.testing._pytest_plugin", "--device=@numpy",
                          "-k", "TestSquare")
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr
    assert counts["passed"] == 7  # 2 dtypes x 3 tests on the CPU, and the type error test
