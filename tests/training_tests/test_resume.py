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
    return subprocess.Popen(
        [sys.executable, SCRIPT, out, final, EPOCHS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _load(path: str) -> dict[str, numpy.ndarray]:
    with numpy.load(path) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_resume_equals_uninterrupted(tmp_path):
    reference = str(tmp_path / "reference.npz")
    started = time.monotonic()
    proc = _run(str(tmp_path / "ref_out"), reference)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    duration = time.monotonic() - started  # start-up included: kills land anywhere

    out, final = str(tmp_path / "out"), str(tmp_path / "final.npz")
    rng = random.Random(12345)
    kills = resumed_kills = 0
    for _ in range(30):
        had_snapshot = os.path.isdir(out) and any(
            n.startswith("snapshot_iter_") for n in os.listdir(out)
        )
        proc = _run(out, final)
        time.sleep(rng.uniform(0.15, 0.55) * duration)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            kills += 1
            resumed_kills += had_snapshot
            log_path = os.path.join(out, "log")
            if os.path.exists(log_path):  # never half-written
                with open(log_path) as f:
                    json.load(f)
            if kills >= 6:
                break
            continue
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        # Finished before being killed often enough: start over from scratch.
        for name in os.listdir(out):
            os.remove(os.path.join(out, name))
        os.remove(final)
    assert kills >= 6 and resumed_kills >= 2, "too few kills; the test proves nothing"
    proc = _run(out, final)  # resumes from the newest snapshot and completes
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()

    expected, actual = _load(reference), _load(final)
    assert sorted(expected) == sorted(actual)
    for key in expected:
        numpy.testing.assert_array_equal(actual[key], expected[key], err_msg=key)
    names = os.listdir(out)
    assert 1 <= len([n for n in names if n.startswith("snapshot_iter_")]) <= 3
    assert not [n for n in names if n.startswith(".")]  # stale temporaries were cleaned up
