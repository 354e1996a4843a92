"""The Python code shown in the documentation runs.

Every fenced ``python`` block of the hand-written pages is run as a script in a
scratch directory. Blocks that import PyTorch run only where PyTorch is installed;
blocks that include files (``--8<--``) are the tutorial scripts, tested elsewhere.
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = ["index.md", "migration.md", "pytorch.md"]
FENCE = re.compile(r"^( *)```python[^\n]*\n(.*?)^\1```", re.S | re.M)


def _blocks():
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        for i, match in enumerate(FENCE.finditer(text)):
            code = textwrap.dedent(match.group(2))
            if "--8<--" not in code:
                yield pytest.param(code, id=f"{page}-{i}")


def test_pages_have_code():
    assert len(list(_blocks())) >= 5


@pytest.mark.parametrize("code", list(_blocks()))
def test_block_runs(code, tmp_path):
    if "import torch" in code and importlib.util.find_spec("torch") is None:
        pytest.skip("PyTorch is not installed")
    if "get_digits" in code and importlib.util.find_spec("sklearn") is None:
        pytest.skip("the digits dataset needs scikit-learn")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    if "test accuracy" in code:  # the PyTorch comparison: it learns
        last = proc.stdout.strip().splitlines()[-1]
        assert float(last.rsplit(" ", 1)[1]) > 0.9, last
