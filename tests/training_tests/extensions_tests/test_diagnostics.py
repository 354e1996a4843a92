"""ParameterStatistics, FailOnNonNumber, MicroAverage, unchain_variables, DumpGraph."""

from __future__ import annotations

import numpy
import pytest

import kusari
from kusari import configuration
from kusari.training import extensions

from .._helpers import fake_trainer, make_trainer


def test_parameter_statistics_keys_and_values(tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, "iteration"))
    model = trainer.updater.get_optimizer("main").target
    trainer.extend(extensions.ParameterStatistics(model, prefix="ps", trigger=(1, "iteration")))
    seen = {}
    trainer.extend(lambda t: seen.update(t.observation), name="spy")
    trainer.run()
    w = model.l.W.array
    assert float(seen["ps/None/l/W/data/mean"]) == pytest.approx(float(w.mean()))
    assert float(seen["ps/None/l/W/data/max"]) == pytest.approx(float(w.max()))
    assert int(seen["ps/None/l/b/grad/zeros"]) == int((model.l.b.grad == 0).sum())
    percentiles = [k for k in seen if k.startswith("ps/None/l/W/data/percentile/")]
    assert len(percentiles) == 7
    assert float(seen["ps/None/l/W/data/percentile/3"]) == pytest.approx(float(numpy.median(w)))


def test_parameter_statistics_custom(tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, "iteration"))
    model = trainer.updater.get_optimizer("main").target
    ext = extensions.ParameterStatistics(
        [model.l], {"absmax": lambda a: abs(a).max()}, report_grads=False, trigger=(1, "iteration")
    )
    trainer.extend(ext)
    seen = {}
    trainer.extend(lambda t: seen.update(t.observation), name="spy")
    trainer.run()
    assert sorted(k for k in seen if k != "main/loss") == ["l/W/data/absmax", "l/b/data/absmax"]


def test_parameter_statistics_mean_over_interval(tmp_path):
    trainer = make_trainer(tmp_path, stop=(4, "iteration"))
    model = trainer.updater.get_optimizer("main").target
    trainer.extend(
        extensions.ParameterStatistics(model, {"mean": numpy.mean}, trigger=(2, "iteration"))
    )
    means, reported = [], []
    trainer.extend(lambda t: means.append(float(model.l.W.array.mean())), name="m", priority=1000)
    trainer.extend(lambda t: reported.append(t.observation.get("None/l/W/data/mean")), name="spy")
    trainer.run()
    assert reported[0] is None and reported[2] is None
    assert float(reported[1]) == pytest.approx((means[0] + means[1]) / 2)
    assert float(reported[3]) == pytest.approx((means[2] + means[3]) / 2)


def test_fail_on_non_number(tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, "iteration"))
    model = trainer.updater.get_optimizer("main").target
    trainer.extend(extensions.FailOnNonNumber())

    def poison(t):
        if t.updater.iteration == 2:
            model.l.W.array[0, 0] = numpy.nan

    trainer.extend(poison, priority=1000)
    with pytest.raises(RuntimeError, match="'main' diverged"):
        trainer.run(show_loop_exception_msg=False)
    assert trainer.updater.iteration == 2


def test_micro_average(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(4, "iteration"), iters_per_epoch=2)
    correct, total = [3, 1, 2, 2], [4, 2, 4, 4]

    def report(t):
        i = t.updater.iteration - 1
        t.observation.update({"c": correct[i], "n": total[i]})

    trainer.extend(report, priority=400)
    trainer.extend(extensions.MicroAverage("c", "n", "acc"))
    seen = []
    trainer.extend(lambda t: seen.append(t.observation.get("acc")), name="spy")
    trainer.run()
    assert seen == [None, pytest.approx(4 / 6), None, pytest.approx(4 / 8)]


def test_unchain_variables(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(1, "iteration"))
    holder = {}

    def report(t):
        x = kusari.Variable(numpy.ones(2, numpy.float32))
        holder["y"] = y = x * 2
        t.observation["y"] = y

    trainer.extend(report, priority=400)
    trainer.extend(extensions.unchain_variables())
    trainer.run()
    assert holder["y"].creator is None


def test_dump_graph(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "iteration"))
    before = configuration.config.keep_graph_on_report
    trainer.extend(extensions.dump_graph("main/loss"))
    trainer.run()
    dot = (tmp_path / "cg.dot").read_text()
    assert dot.startswith("digraph graphname {")
    assert "LinearFunction" in dot or "Linear" in dot
    assert "MeanSquaredError" in dot
    assert dot.count("->") >= 4
    assert configuration.config.keep_graph_on_report == before


def test_dump_graph_needs_variable(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(1, "iteration"))
    trainer.extend(lambda t: t.observation.update(x=1.0), name="w", priority=400)
    trainer.extend(extensions.DumpGraph("x"))
    with pytest.raises(TypeError, match="must be a Variable"):
        trainer.run(show_loop_exception_msg=False)
