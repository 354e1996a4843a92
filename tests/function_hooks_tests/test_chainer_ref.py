"""The hooks' reports and printouts, compared with the reference Chainer 7's."""

import re

import pytest

from tests.iterators_tests._chainer_ref import needs_chainer, run

pytestmark = [pytest.mark.chainer_ref, needs_chainer]

# Runs under kusari and under Chainer (argv[1] names which); prints JSON.
SCRIPT = r"""
import io, json, sys
import numpy as np
if sys.argv[1] == 'kusari':
    import kusari as ch
    from kusari.function_hooks import PrintHook, TimerHook, CupyMemoryProfileHook
else:
    import chainer as ch
    from chainer.function_hooks import PrintHook, TimerHook, CupyMemoryProfileHook
F = ch.functions
out = {}

def report(hook, unit):
    buf = io.StringIO()
    hook.print_report(unit=unit, file=buf)
    return buf.getvalue()

timer = TimerHook()
for i, history in enumerate([
        [('ReLU', 0.0012), ('LinearFunction', 1.5), ('ReLU', 0.0008)],
        [('Sum', 3e-7), ('Exp', 2.5e-5), ('Sum', 1e-9), ('Tanh', 0.04)]]):
    timer.call_history = history
    for unit in ('auto', 'auto_foreach', 'sec', 'ms', 'us', 'ns'):
        out['timer %d %s' % (i, unit)] = report(timer, unit)

memory = CupyMemoryProfileHook.__new__(CupyMemoryProfileHook)  # no CuPy needed to report
memory.call_history = [('LinearFunction', 3 * 1024 ** 3, 512, 0), ('ReLU', 2048, 0, 1),
                       ('ReLU', 1024, 0, 0), ('Sum', 0, 5 * 1024 ** 2, 0)]
for unit in ('auto', 'auto_foreach', 'B', 'KB', 'GB'):
    out['memory ' + unit] = report(memory, unit)


class Node:
    label = 'a label'


buf = io.StringIO()
hook = PrintHook(file=buf)
hook.forward_preprocess(Node(), (np.arange(6, dtype=np.float32).reshape(2, 3), None))
hook.backward_preprocess(Node(), (np.ones(3), None),
                         (np.full((2,), 0.5, np.float32), None, np.zeros(1, np.int32)))
x = ch.Variable(np.array([-1.0, 3.0], np.float32))
with PrintHook(file=buf):
    F.sum(F.relu(x))
out['print'] = buf.getvalue()


class Twice(ch.Function):
    def forward(self, inputs):
        return inputs[0] * 2,


x = np.ones((1, 3, 4, 4), np.float32)
with TimerHook() as timer:
    F.relu(x); F.exp(x); F.tanh(x); F.sum(x); Twice()(x)
    F.convolution_2d(x, np.ones((2, 3, 3, 3), np.float32))
    F.linear(np.ones((2, 3), np.float32), np.ones((4, 3), np.float32))
    F.average_pooling_2d(x, 2)
out['names'] = [name for name, _ in timer.call_history]
print(json.dumps(out))
"""


def _masked(results):
    return {k: re.sub(r"0x[0-9a-f]+", "0x?", v) if isinstance(v, str) else v
            for k, v in results.items()}


def test_reports_printouts_and_names_match_chainer():
    ours = _masked(run("kusari", SCRIPT))
    theirs = _masked(run("chainer", SCRIPT))
    assert ours.keys() == theirs.keys()
    for key in theirs:
        assert ours[key] == theirs[key], key
