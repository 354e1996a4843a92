"""Reported values stay on the device until a report is written."""

from __future__ import annotations

import json

import numpy

import kusari
from kusari import iterators, optimizers, reporter, training
from kusari.training import extensions
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK


def test_classifier_reports_device_values(device):
    model = h.make_model("mlp").to_device(h.device_spec())
    x, t = kusari.dataset.concat_examples(h.classification_data("mlp")[:8], device)
    rep = reporter.Reporter()
    rep.add_observer("main", model)
    obs = {}
    with rep.scope(obs):
        model(x, t)
    assert set(obs) == {"main/loss", "main/accuracy"}
    for key, value in obs.items():
        assert h.on_device(value, device), key
        assert value.creator is None, key  # the graph is not kept alive by the report

    summary = reporter.DictSummary()
    summary.add(obs)
    summary.add(obs)
    if device.xp is not numpy:  # on the CPU the sums are Python floats
        for key, s in summary._summaries.items():
            assert h.on_device(s._x, device), key  # summed on the device: no round trip
    means = summary.compute_mean()
    numpy.testing.assert_allclose(float(means["main/loss"]), float(obs["main/loss"].array),
                                  rtol=1e-6)
    stats = summary.make_statistics()
    assert float(stats["main/loss.std"]) < 1e-3  # the same value twice


def _run(out, spec: str) -> list:
    model = h.make_model("mlp").to_device(spec)
    opt = optimizers.SGD(lr=0.1).setup(model)
    it = iterators.SerialIterator(h.classification_data("mlp"), 4, shuffle=False)
    upd = training.updaters.StandardUpdater(it, opt, device=spec)
    tr = training.Trainer(upd, (6, "iteration"), out=str(out))
    tr.extend(extensions.LogReport(trigger=(3, "iteration")))
    tr.run()
    with open(out / "log") as f:
        return json.load(f)


def test_log_report_from_the_gpu_matches_the_cpu(device, tmp_path):
    gpu = _run(tmp_path / "gpu", h.device_spec())
    cpu = _run(tmp_path / "cpu", "@numpy")
    assert len(gpu) == len(cpu) == 2
    for g, c in zip(gpu, cpu):
        for key in ("main/loss", "main/accuracy"):
            assert isinstance(g[key], float), key
            numpy.testing.assert_allclose(g[key], c[key], rtol=1e-4, err_msg=key)
        assert g["iteration"] == c["iteration"]
