"""examples/train_tutorial_extended.py runs end to end and resumes from its snapshot."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

EXAMPLE = os.path.join(
    os.path.dirname(__file__), "..", "..", "examples", "train_tutorial_extended.py"
)

pytest.importorskip("matplotlib")
pytest.importorskip("tqdm")


def _run(out, epochs):
    return subprocess.run(
        [sys.executable, EXAMPLE, "--epochs", str(epochs), "--out", out],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


@pytest.mark.slow
def test_example_runs_and_resumes(tmp_path):
    out = str(tmp_path / "result")
    text = _run(out, 60)
    assert text.splitlines()[0].split() == [
        "epoch",
        "main/loss",
        "validation/main/loss",
        "elapsed_time",
    ]
    assert "total: 100%|" in text  # the progress bar, as plain lines in a captured stream
    assert sorted(os.listdir(out)) == ["log", "loss.png", "snapshot_iter_50"]
    with open(os.path.join(out, "log")) as f:
        log = json.load(f)
    assert len(log) == 60
    assert log[-1]["main/loss"] < log[0]["main/loss"]
    # Asking for more epochs resumes from snapshot_iter_50 rather than starting over.
    text = _run(out, 70)
    rows = [line for line in text.splitlines() if line.startswith("\x1b[J")]
    assert rows[0].split()[0] == "\x1b[J51"
    with open(os.path.join(out, "log")) as f:
        resumed = json.load(f)
    assert [e["epoch"] for e in resumed] == list(range(1, 71))
    assert resumed[49] == log[49]
