"""A run with many extensions logs the same values under kusari as under Chainer 7."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy
import pytest

CHAINER_PY = "/work/chainer-ref/bin/python"

SCRIPT = r"""
import io, json, sys, os, numpy
if sys.argv[1] == 'kusari':
    import kusari as chainer
    import kusari.links as L, kusari.functions as F
    from kusari import training
    from kusari.training import extensions, triggers
else:
    import chainer
    import chainer.links as L, chainer.functions as F
    from chainer import training
    from chainer.training import extensions, triggers
rng = numpy.random.RandomState(0)
x = rng.randn(20, 3).astype(numpy.float32)
t = rng.randn(20, 2).astype(numpy.float32)
class C(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(3, 2, initialW=numpy.full((2, 3), 0.1, numpy.float32))
    def __call__(self, x, t):
        loss = F.mean_squared_error(self.l(x), t)
        chainer.report({'loss': loss, 'n': float(len(x)), 'c': float(len(x)) / 2}, self)
        return loss
m = C(); o = chainer.optimizers.SGD(0.1); o.setup(m)
ds = chainer.datasets.TupleDataset(x, t)
it = chainer.iterators.SerialIterator(ds, 6, shuffle=False)
vit = chainer.iterators.SerialIterator(ds, 7, repeat=False, shuffle=False)
trainer = training.Trainer(training.StandardUpdater(it, o), (4, 'epoch'), out=sys.argv[2])
trainer.extend(extensions.Evaluator(vit, m))
trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'epoch'))
trainer.extend(extensions.observe_lr(), trigger=(1, 'iteration'))
trainer.extend(extensions.MicroAverage('main/c', 'main/n', 'main/ratio'))
trainer.extend(extensions.ParameterStatistics(m, trigger=(2, 'epoch')))
trainer.extend(extensions.LogReport(trigger=(1, 'epoch')))
best = []
trainer.extend(lambda tr: best.append(tr.updater.iteration), name='best',
               trigger=triggers.MinValueTrigger('validation/main/loss', (1, 'epoch')))
trainer.run()
log = trainer.get_extension('LogReport').log
for e in log:
    e.pop('elapsed_time')
print(json.dumps({'log': log, 'best': best, 'iteration': trainer.updater.iteration,
                  'epoch_detail': trainer.updater.epoch_detail, 'W': m.l.W.array.tolist()},
                 sort_keys=True, indent=1))
"""


@pytest.mark.chainer_ref
@pytest.mark.skipif(not os.path.exists(CHAINER_PY), reason="reference Chainer is missing")
def test_log_matches_chainer(tmp_path):
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib", PYTHONWARNINGS="ignore")
    ref = json.loads(
        subprocess.run(
            [CHAINER_PY, str(path), "chainer", str(tmp_path / "c")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
    )
    ours = json.loads(
        subprocess.run(
            [sys.executable, str(path), "kusari", str(tmp_path / "k")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert ours["best"] == ref["best"]
    assert ours["iteration"] == ref["iteration"]
    numpy.testing.assert_allclose(ours["W"], ref["W"], rtol=1e-6)
    assert len(ours["log"]) == len(ref["log"]) == 4
    for mine, theirs in zip(ours["log"], ref["log"]):
        assert sorted(mine) == sorted(theirs)
        for key in theirs:
            assert mine[key] == pytest.approx(theirs[key], rel=1e-6, abs=1e-12), key


SNAPSHOT_SCRIPT = r"""
import io, json, sys, os, numpy
if sys.argv[1] == 'kusari':
    import kusari as chainer
    import kusari.links as L, kusari.functions as F
    from kusari import training, serializers
    from kusari.training import extensions, triggers
else:
    import chainer
    import chainer.links as L, chainer.functions as F
    from chainer import training, serializers
    from chainer.training import extensions, triggers
rng = numpy.random.RandomState(0)
x = rng.randn(20, 3).astype(numpy.float32)
t = rng.randn(20, 2).astype(numpy.float32)
class C(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(3, 2, initialW=numpy.full((2, 3), 0.1, numpy.float32))
    def __call__(self, x, t):
        loss = F.mean_squared_error(self.l(x), t)
        chainer.report({'loss': loss}, self)
        return loss
def build(out, epochs):
    m = C(); o = chainer.optimizers.MomentumSGD(0.1); o.setup(m)
    ds = chainer.datasets.TupleDataset(x, t)
    it = chainer.iterators.SerialIterator(ds, 6, shuffle=True)
    vit = chainer.iterators.SerialIterator(ds, 7, repeat=False, shuffle=False)
    stop = triggers.EarlyStoppingTrigger(monitor='validation/main/loss',
                                         max_trigger=(epochs, 'epoch'))
    trainer = training.Trainer(training.StandardUpdater(it, o), stop, out=out)
    trainer.extend(extensions.Evaluator(vit, m))
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'epoch'))
    trainer.extend(extensions.observe_lr(), trigger=(1, 'iteration'))
    trainer.extend(extensions.MicroAverage('lr', 'lr', 'main/ratio'))
    trainer.extend(extensions.LogReport(trigger=(1, 'epoch')))
    trainer.extend(extensions.PrintReport(['epoch', 'main/loss', 'lr'], out=io.StringIO()))
    trainer.extend(extensions.PlotReport(['main/loss'], 'epoch'))
    trainer.extend(extensions.ParameterStatistics(m))
    trainer.extend(extensions.snapshot(), trigger=triggers.MinValueTrigger('validation/main/loss'))
    trainer.extend(extensions.dump_graph('main/loss'))
    trainer.extend(extensions.ProgressBar(out=io.StringIO()))
    return trainer
numpy.random.seed(0)
trainer = build(sys.argv[2], int(sys.argv[3]))
if len(sys.argv) > 4:
    serializers.load_npz(sys.argv[4], trainer)
    start = trainer.updater.iteration
trainer.run()
print('JSON:' + json.dumps({'epochs': [e['epoch'] for e in trainer.get_extension('LogReport').log],
                  'files': sorted(os.listdir(sys.argv[2])),
                  'iteration': trainer.updater.iteration}))
"""


@pytest.mark.chainer_ref
@pytest.mark.skipif(not os.path.exists(CHAINER_PY), reason="reference Chainer is missing")
def test_chainer_snapshot_resumes_under_kusari(tmp_path):
    path = tmp_path / "script.py"
    path.write_text(SNAPSHOT_SCRIPT)
    env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib", PYTHONWARNINGS="ignore")
    ref_out = tmp_path / "c"
    ref = json.loads(
        subprocess.run(
            [CHAINER_PY, str(path), "chainer", str(ref_out), "2"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.split("JSON:")[-1]
    )
    snapshots = [f for f in ref["files"] if f.startswith("snapshot_iter_")]
    assert snapshots
    snapshot = str(ref_out / snapshots[-1])
    # strict loading: every key kusari reads is either in Chainer's file or optional
    ours = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-W",
                "ignore",
                str(path),
                "kusari",
                str(tmp_path / "k"),
                "3",
                snapshot,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("JSON:")[-1]
    )
    assert ours["iteration"] == 10
    assert ours["epochs"] == [1, 2, 3]
