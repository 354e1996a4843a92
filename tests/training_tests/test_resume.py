"""A trainer killed with SIGKILL at random moments resumes to the same final parameters."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import numpy
import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "_resume_script.py")
EPOCHS = "60"


def _run(out: str, final: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, SCRIPT, out, final, EPOCHS],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _load(path: str) -> dict[str, numpy.ndarray]:
    with numpy.load(path) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_resume_equals_uninterrupted(tmp_path):
    reference = str(tmp_path / "reference.npz")
    proc = _run(str(tmp_path / "ref_out"), reference)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()

    out, final = str(tmp_path / "out"), str(tmp_path / "final.npz")
    rng = random.Random(12345)
    kills = 0
    for _ in range(40):
        proc = _run(out, final)
        time.sleep(rng.uniform(0.2, 1.2))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            kills += 1
            log_path = os.path.join(out, "log")
            if os.path.exists(log_path):  # never half-written
                with open(log_path) as f:
                    json.load(f)
            continue
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        if kills >= 4:
            break
        # Finished before being killed often enough: start over from scratch.
        for name in os.listdir(out):
            os.remove(os.path.join(out, name))
        os.remove(final)
    assert kills >= 4, "the run was never killed; the test proves nothing"
    proc = _run(out, final)  # resumes from the last snapshot; already done: saves again
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()

    expected, actual = _load(reference), _load(final)
    assert sorted(expected) == sorted(actual)
    for key in expected:
        numpy.testing.assert_array_equal(actual[key], expected[key], err_msg=key)
    snapshots = [n for n in os.listdir(out) if n.startswith("snapshot_iter_")]
    assert 1 <= len(snapshots) <= 3
