"""Run a snippet under the reference Chainer 7 and return its JSON output."""

import json
import os
import subprocess
import sys

import pytest

CHAINER_PY = "/work/chainer-ref/bin/python"

needs_chainer = pytest.mark.skipif(
    not os.path.exists(CHAINER_PY), reason="reference Chainer is not installed"
)

# The same script runs under kusari and under Chainer: `it_mod` names the module.
ORDER_SCRIPT = r"""
import json, sys
import numpy as np
if sys.argv[1] == 'kusari':
    from kusari.iterators import SerialIterator, ShuffleOrderSampler
else:
    from chainer.iterators import SerialIterator, ShuffleOrderSampler
cases = json.loads(sys.argv[2])
out = []
for bs, n, repeat, shuffle, seed, steps in cases:
    np.random.seed(seed)
    it = SerialIterator(list(range(n)), bs, repeat=repeat, shuffle=shuffle)
    rec = []
    for _ in range(steps):
        try:
            b = it.next()
        except StopIteration:
            rec.append('STOP')
            break
        rec.append([[int(x) for x in b], it.current_position, it.epoch, it.is_new_epoch,
                    it.epoch_detail, it.previous_epoch_detail])
    rec.append(float(np.random.random()))  # the global RNG was consumed identically
    out.append(rec)
print(json.dumps(out))
"""


def run(which: str, script: str, *args: str) -> object:
    if which == "kusari":
        cmd = [sys.executable, "-c", script, which, *args]
        env = dict(os.environ)
    else:
        cmd = [CHAINER_PY, "-c", script, which, *args]
        env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)
