"""The documentation site builds with ``mkdocs build --strict`` (no warnings).

Skipped where the ``docs`` extra (mkdocs, mkdocstrings[python], mkdocs-material)
is not installed.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    any(
        importlib.util.find_spec(m) is None
        for m in ("mkdocs", "mkdocstrings", "mkdocstrings_handlers.python", "material")
    ),
    reason="the docs extra (mkdocs, mkdocstrings[python], mkdocs-material) is not installed",
)


def test_mkdocs_build_strict(tmp_path):
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "WARNING" not in out.stderr, out.stderr
    # the API reference is generated from the packages' public names and docstrings
    functions = (site / "api" / "functions" / "index.html").read_text(encoding="utf-8")
    assert 'id="kusari.functions.activation.relu.relu"' in functions
    assert "language-pycon" in functions or "doctest" in functions or "&gt;&gt;&gt;" in functions
    for page in ("getting-started", "migration", "pytorch", "architecture", "examples"):
        assert (site / page / "index.html").is_file(), page
