"""Tests of LogReport and PrintReport (PrintReport against Chainer's exact layout)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from kusari import serializers
from kusari.training import extensions

from .._helpers import make_trainer

CHAINER_PY = "/work/chainer-ref/bin/python"


def test_log_report_means_and_file(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    losses = []
    trainer.extend(
        lambda t: losses.append(float(t.observation["main/loss"].array)), name="grab", priority=400
    )
    trainer.extend(extensions.LogReport(jsonl_filename="log.jsonl"))
    trainer.run()
    log = trainer.get_extension("LogReport").log
    assert [e["epoch"] for e in log] == [1, 2]
    assert [e["iteration"] for e in log] == [4, 8]
    assert log[0]["main/loss"] == pytest.approx(sum(losses[:4]) / 4, rel=1e-6)
    assert log[1]["main/loss"] == pytest.approx(sum(losses[4:]) / 4, rel=1e-6)
    assert 0 < log[0]["elapsed_time"] < log[1]["elapsed_time"]
    with open(tmp_path / "log") as f:
        text = f.read()
    assert json.loads(text) == log
    assert text == json.dumps(log, indent=4)  # Chainer's layout, from the per-entry cache
    with open(tmp_path / "log.jsonl") as f:
        assert [json.loads(line) for line in f] == log
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # no temp files left


def test_log_report_keys_postprocess_and_template(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))

    def postprocess(entry):
        entry["twice"] = entry["epoch"] * 2

    trainer.extend(
        extensions.LogReport(keys=["nothing"], postprocess=postprocess, filename="log_{epoch}")
    )
    trainer.run()
    log = trainer.get_extension("LogReport").log
    assert "main/loss" not in log[0]
    assert [e["twice"] for e in log] == [2, 4]
    assert os.path.exists(tmp_path / "log_1") and os.path.exists(tmp_path / "log_2")


def test_log_report_serialize(tmp_path):
    trainer = make_trainer(tmp_path, stop=(6, "iteration"))
    trainer.extend(extensions.LogReport())
    trainer.run()
    path = str(tmp_path / "lr.npz")
    report = trainer.get_extension("LogReport")
    serializers.save_npz(path, report)
    loaded = extensions.LogReport()
    serializers.load_npz(path, loaded)
    assert loaded.log == report.log
    # the half-finished second epoch (2 iterations) is carried over
    assert float(loaded._summary.compute_mean()["main/loss"]) == pytest.approx(
        float(report._summary.compute_mean()["main/loss"])
    )


def test_log_report_bad_kwarg():
    with pytest.raises(TypeError, match="unexpected"):
        extensions.LogReport(log_nam="x")


def _print_report_output(tmp_path, entries):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, stop=(3, "epoch"))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(entries, out=out))
    trainer.run()
    return out.getvalue()


def test_print_report_layout(tmp_path):
    text = _print_report_output(
        tmp_path, ["epoch", "main/loss", "a_really_long_key_name", "elapsed_time"]
    )
    lines = text.split("\n")
    assert lines[0] == "epoch       main/loss   a_really_long_key_name  elapsed_time"
    assert len(lines) == 5 and lines[4] == ""
    for i, line in enumerate(lines[1:4], 1):
        assert line.startswith("\x1b[J" + str(i).ljust(10) + "  ")
        assert len(line) == 3 + 12 + 12 + 24 + 14
        loss, missing, elapsed = line[15:27], line[27:51], line[51:]
        assert float(loss) > 0 and loss.endswith("  ")
        assert missing == " " * 24
        assert float(elapsed) > 0 and elapsed.endswith("  ")


_REFERENCE_SCRIPT = r"""
import io, sys, numpy
if sys.argv[1] == 'kusari':
    import kusari as chainer
    import kusari.links as L, kusari.functions as F
    from kusari import training
    from kusari.training import extensions
else:
    import chainer
    import chainer.links as L, chainer.functions as F
    from chainer import training
    from chainer.training import extensions
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
        chainer.report({'loss': loss, 'big': loss * 1e7, 'tiny': loss * 1e-7}, self)
        return loss
m = C(); o = chainer.optimizers.SGD(0.1); o.setup(m)
it = chainer.iterators.SerialIterator(chainer.datasets.TupleDataset(x, t), 5, shuffle=False)
trainer = training.Trainer(training.StandardUpdater(it, o), (3, 'epoch'), out=sys.argv[2])
trainer.extend(extensions.LogReport(trigger=(2, 'iteration')))
trainer.extend(extensions.observe_lr(), trigger=(1, 'iteration'))
out = io.StringIO()
trainer.extend(extensions.PrintReport(
    ['epoch', 'iteration', 'main/loss', 'main/big', 'main/tiny', 'lr', 'missing', 'x'],
    out=out))
trainer.run()
sys.stdout.write(out.getvalue())
"""


@pytest.mark.chainer_ref
@pytest.mark.skipif(not os.path.exists(CHAINER_PY), reason="reference Chainer is missing")
def test_print_report_matches_chainer(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(_REFERENCE_SCRIPT)
    env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib", PYTHONWARNINGS="ignore")
    ref = subprocess.run(
        [CHAINER_PY, str(script), "chainer", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    ours = subprocess.run(
        [sys.executable, str(script), "kusari", str(tmp_path / "k")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(ours.splitlines()) == 7
    assert ours == ref


def test_print_report_default_out_is_current_stdout(tmp_path, capsys):
    trainer = make_trainer(tmp_path, stop=(1, "epoch"))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(["epoch"]))
    trainer.run()
    assert capsys.readouterr().out.splitlines()[1].startswith("\x1b[J1 ")
