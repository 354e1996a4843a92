"""The tutorial's five steps, run as a user runs them, print the same loss curve.

The unmodified Chainer scripts in ``../shared/seed`` run through ``python -m
kusari.compat``; the kusari versions in ``examples/tutorial`` run directly.
"""

import os
import pathlib
import subprocess
import sys

import numpy
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEED = pathlib.Path(os.environ.get("KUSARI_SEED_DIR", ROOT.parent / "shared" / "seed"))
EXAMPLES = ROOT / "examples" / "tutorial"
SAMPLES = ["sample_1_numpy", "sample_2_variable", "sample_3_chain", "sample_4_optimizer",
           "sample_5_trainer"]


def _losses(text: str) -> numpy.ndarray:
    values = []
    for line in text.splitlines():
        line = line.replace("\x1b[J", "").strip()
        if not line or line.startswith("epoch"):
            continue
        parts = line.split()
        values.append(float(parts[1] if len(parts) >= 3 else parts[0]))
    return numpy.array(values)


def _run(args: list[str], cwd: pathlib.Path) -> numpy.ndarray:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return _losses(out.stdout)


def _check_curves(curves: dict) -> None:
    for name, c in curves.items():
        assert c.shape == (300,), f"{name} printed {c.shape[0]} losses"
        assert numpy.isfinite(c).all()
    ref = curves["sample_1_numpy"]
    assert ref[-1] < ref[0] / 100  # it actually learns
    for name in ("sample_2_variable", "sample_3_chain"):
        numpy.testing.assert_allclose(curves[name], ref, rtol=1e-5, err_msg=name)
    # samples 4 and 5 also train the biases: they agree with each other
    # (sample 5 prints 6 significant digits)
    numpy.testing.assert_allclose(curves["sample_5_trainer"], curves["sample_4_optimizer"],
                                  rtol=1e-5, err_msg="sample_5 vs sample_4")
    assert not numpy.allclose(curves["sample_4_optimizer"], ref, rtol=1e-6)


@pytest.mark.skipif(not SEED.is_dir(), reason=f"the tutorial seed is not at {SEED}")
def test_unmodified_seed_scripts_through_compat(tmp_path):
    curves = {s: _run(["-m", "kusari.compat", str(SEED / f"{s}.py")], tmp_path)
              for s in SAMPLES}
    _check_curves(curves)
    assert (tmp_path / "result" / "log").is_file()


def test_kusari_tutorial_examples(tmp_path):
    curves = {s: _run([str(EXAMPLES / f"{s}.py")], tmp_path) for s in SAMPLES}
    _check_curves(curves)
