"""Run one script under kusari and under the reference Chainer 7; compare the arrays.

The script gets ``sys.argv[1]`` (``'kusari'`` or ``'chainer'``) and ``sys.argv[2]`` (an
``.npz`` path to write its results to); its preamble binds ``chainer`` to the right one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import numpy
import pytest

CHAINER_PY = "/work/chainer-ref/bin/python"

chainer_ref = pytest.mark.chainer_ref
needs_chainer = pytest.mark.skipif(not os.path.exists(CHAINER_PY),
                                   reason="reference Chainer is not installed")

PREAMBLE = """
import sys, numpy
if sys.argv[1] == 'kusari':
    import kusari as chainer
else:
    import warnings; warnings.simplefilter('ignore')
    import chainer
import importlib
_m = lambda n: importlib.import_module(chainer.__name__ + '.' + n)
L, F, O, I = _m('links'), _m('functions'), _m('optimizers'), _m('initializers')
H, S = _m('optimizer_hooks'), _m('serializers')
OUT = {}
def save():
    numpy.savez(sys.argv[2], **OUT)
"""


def run(which: str, script: str) -> dict:
    """Run ``script`` under ``which`` and return the arrays it put into ``OUT``."""
    py = sys.executable if which == "kusari" else CHAINER_PY
    env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib")
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.npz")
        proc = subprocess.run([py, "-c", PREAMBLE + script + "\nsave()\n", which, out],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise AssertionError(f"{which} failed:\n{proc.stderr[-3000:]}")
        with numpy.load(out) as f:
            return {k: f[k] for k in f.files}


def compare(script: str, rtol: float = 0.0, atol: float = 0.0) -> dict:
    """Run under both and assert every array matches (exactly by default)."""
    ours, ref = run("kusari", script), run("chainer", script)
    assert sorted(ours) == sorted(ref)
    for k in ref:
        assert ours[k].shape == ref[k].shape, k
        assert ours[k].dtype == ref[k].dtype, k
        if ref[k].dtype.kind in "fc":
            numpy.testing.assert_allclose(ours[k], ref[k], rtol=rtol, atol=atol, err_msg=k)
        else:
            numpy.testing.assert_array_equal(ours[k], ref[k], err_msg=k)
    return ours
