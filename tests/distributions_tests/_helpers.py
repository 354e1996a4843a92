"""Shared helpers for the distribution tests."""

import json
import os
import subprocess
import sys

import numpy
import pytest

from kusari import gradient_check

CHAINER_PY = "/work/chainer-ref/bin/python"

needs_chainer = pytest.mark.skipif(
    not os.path.exists(CHAINER_PY), reason="reference Chainer is not installed"
)


def run_ref(which: str, script: str) -> object:
    """Run ``script`` (which prints JSON) with ``D``/``kl`` bound to kusari or Chainer."""
    if which == "kusari":
        head = "import kusari.distributions as D\nfrom kusari import kl_divergence as kl\n"
        cmd, env = [sys.executable, "-c", head + script], dict(os.environ)
    else:
        head = "import chainer.distributions as D\nfrom chainer import kl_divergence as kl\n"
        cmd = [CHAINER_PY, "-c", head + script]
        env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_grad(fn, *arrays, atol=1e-6, rtol=1e-5, eps=1e-5):
    """check_backward in float64 with a fixed seed for the direction."""
    state = numpy.random.get_state()
    numpy.random.seed(0)
    try:
        out_shape = fn(*[a.copy() for a in arrays]).shape
        gy = numpy.random.RandomState(1).normal(size=out_shape)
        gradient_check.check_backward(fn, tuple(arrays), gy, eps=eps, atol=atol, rtol=rtol,
                                      dtype=numpy.float64)
    finally:
        numpy.random.set_state(state)


def close(a, b, rtol=1e-6, atol=1e-8):
    a = getattr(a, "array", a)
    numpy.testing.assert_allclose(numpy.asarray(a, dtype=numpy.float64),
                                  numpy.asarray(b, dtype=numpy.float64), rtol=rtol, atol=atol)


def assert_matches_chainer(script: str) -> None:
    """Run ``script`` (printing one JSON dict of lists) under kusari and under Chainer
    7.8.1 and compare every value."""
    ours, theirs = run_ref("kusari", script), run_ref("chainer", script)
    assert set(ours) == set(theirs)
    for key in ours:
        assert len(ours[key]) == len(theirs[key]), key
        for i, (a, b) in enumerate(zip(ours[key], theirs[key])):
            numpy.testing.assert_allclose(numpy.array(a, float), numpy.array(b, float),
                                          rtol=1e-6, atol=1e-7, err_msg=f"{key}[{i}]")
