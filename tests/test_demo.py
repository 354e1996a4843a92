"""The main job (README's first command) runs end to end and writes its plots."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_demo_trains_both_models_and_writes_plots(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, "-m", "kusari.demo", "--out", str(tmp_path), "--epochs", "3",
         "--tutorial-epochs", "30", "--no-progress"],
        capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "main/loss" in out.stdout and "validation/main/accuracy" in out.stdout
    for f in ("tutorial/loss.png", "digits/loss.png", "digits/accuracy.png", "digits/log"):
        path = tmp_path / f
        assert path.is_file() and path.stat().st_size > 0, f
    assert (tmp_path / "tutorial" / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    acc = float(out.stdout.strip().splitlines()[-1].split()[2].rstrip(";"))
    assert acc > 0.8
