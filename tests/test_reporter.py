"""Tests of kusari.reporter: Reporter, report, report_scope, Summary, DictSummary."""

from __future__ import annotations

import threading

import numpy
import pytest

import kusari
from kusari import configuration, reporter, serializers


def test_report_prefixes_observer_name():
    r = reporter.Reporter()
    observer = object()
    r.add_observer("main", observer)
    obs: dict = {}
    with r.scope(obs):
        reporter.report({"loss": 1.5, "acc": 0.5}, observer)
        reporter.report({"lr": 0.1})
    assert obs == {"main/loss": 1.5, "main/acc": 0.5, "lr": 0.1}


def test_add_observers_with_namedlinks():
    class Net(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.sub = kusari.Chain()

    net = Net()
    r = reporter.Reporter()
    r.add_observers("main", net.namedlinks(skipself=True))
    obs: dict = {}
    with r.scope(obs):
        r.report({"x": 1}, net.sub)
    assert obs == {"main/sub/x": 1}


def test_unregistered_observer_raises():
    r = reporter.Reporter()
    with pytest.raises(KeyError, match="not registered"):
        r.report({"x": 1}, object())


def test_report_without_reporter_is_ignored():
    reporter.report({"x": 1})  # no error


def test_get_current_reporter_nesting():
    outer, inner = reporter.Reporter(), reporter.Reporter()
    with pytest.raises(RuntimeError, match="no reporter"):
        reporter.get_current_reporter()
    with outer:
        assert reporter.get_current_reporter() is outer
        with inner:
            assert reporter.get_current_reporter() is inner
        assert reporter.get_current_reporter() is outer


def test_reporter_stack_is_thread_local():
    r = reporter.Reporter()
    seen = []
    with r:
        t = threading.Thread(
            target=lambda: seen.append(pytest.raises(RuntimeError, reporter.get_current_reporter))
        )
        t.start()
        t.join()
    assert len(seen) == 1


def test_report_scope_redirects_and_restores():
    r = reporter.Reporter()
    outer: dict = {}
    inner: dict = {}
    with r.scope(outer):
        with reporter.report_scope(inner):
            reporter.report({"a": 1})
        reporter.report({"b": 2})
    assert inner == {"a": 1}
    assert outer == {"b": 2}


def _graph_variable():
    x = kusari.Variable(numpy.array([1.0, 2.0], numpy.float32))
    return (x * 2).__getitem__(0)


def test_reported_variable_loses_graph_by_default():
    y = _graph_variable()
    assert y.creator is not None
    r, obs = reporter.Reporter(), {}
    with r.scope(obs):
        reporter.report({"y": y})
    assert isinstance(obs["y"], kusari.Variable)
    assert obs["y"].creator is None
    assert obs["y"].array is y.array  # no copy of the data


def test_keep_graph_on_report():
    y = _graph_variable()
    r, obs = reporter.Reporter(), {}
    with configuration.using_config("keep_graph_on_report", True), r.scope(obs):
        reporter.report({"y": y})
    assert obs["y"] is y


def test_summary_mean_and_std():
    s = reporter.Summary()
    values = [1.0, 2.0, 4.0]
    for v in values:
        s.add(numpy.float32(v))
    mean, std = s.make_statistics()
    numpy.testing.assert_allclose(float(s.compute_mean()), numpy.mean(values), rtol=1e-6)
    numpy.testing.assert_allclose(float(mean), numpy.mean(values), rtol=1e-6)
    numpy.testing.assert_allclose(float(std), numpy.std(values), rtol=1e-5)


def test_summary_weighted():
    s = reporter.Summary()
    s.add(1.0, weight=3)
    s.add(kusari.Variable(numpy.array(5.0, numpy.float32)), weight=1)
    assert float(s.compute_mean()) == pytest.approx(2.0)


def test_summary_accumulates_float32_in_float64():
    s = reporter.Summary()
    s.add(numpy.array(1e8, numpy.float32))
    for _ in range(4):
        s.add(numpy.float32(1.0))  # lost in a float32 sum: its ulp at 1e8 is 8
    mean = s.compute_mean()
    assert isinstance(mean, numpy.float64) and isinstance(mean, float)
    assert mean == (1e8 + 4) / 5


def test_summary_std_of_constant_is_zero():
    s = reporter.Summary()
    for _ in range(3):
        s.add(0.1)
    assert float(s.make_statistics()[1]) == 0.0


def test_dict_summary_ignores_non_scalars_and_weights():
    d = reporter.DictSummary()
    d.add({"a": 1.0, "v": numpy.zeros(3), "s": "text", "w": (4.0, 2)})
    d.add({"a": 3.0, "w": (1.0, 1)})
    mean = d.compute_mean()
    assert set(mean) == {"a", "w"}
    assert float(mean["a"]) == 2.0
    assert float(mean["w"]) == pytest.approx(3.0)
    stats = d.make_statistics()
    assert set(stats) == {"a", "a.std", "w", "w.std"}
    assert float(stats["a.std"]) == pytest.approx(1.0)


def test_dict_summary_bad_weight():
    with pytest.raises(ValueError, match="weight of 'a'"):
        reporter.DictSummary().add({"a": (1.0, "heavy")})


def test_dict_summary_serialize_round_trip(tmp_path):
    d = reporter.DictSummary()
    d.add({"main/loss": 1.0, "acc": 0.5})
    d.add({"main/loss": 3.0})
    path = str(tmp_path / "s.npz")
    serializers.save_npz(path, d)
    loaded = reporter.DictSummary()
    serializers.load_npz(path, loaded)
    assert {k: float(v) for k, v in loaded.compute_mean().items()} == {
        "main/loss": 2.0,
        "acc": 0.5,
    }
    loaded.add({"main/loss": 5.0})
    assert float(loaded.compute_mean()["main/loss"]) == pytest.approx(3.0)


def test_top_level_names():
    assert kusari.Reporter is reporter.Reporter
    assert kusari.report is reporter.report
    assert kusari.DictSummary is reporter.DictSummary
