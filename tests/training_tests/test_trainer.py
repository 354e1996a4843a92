"""Tests of Trainer: the loop, extension registration and order, observers, serialization."""

from __future__ import annotations

import numpy
import pytest

from kusari import serializers, training
from kusari.training import extensions

from ._helpers import fake_trainer, make_trainer


def test_run_reports_main_loss_and_stops(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    seen = []

    @training.make_extension(trigger=(1, "iteration"))
    def record(t):
        seen.append(dict(t.observation))

    trainer.extend(record)
    trainer.run()
    assert trainer.updater.iteration == 8
    assert trainer.updater.epoch == 2
    assert len(seen) == 8
    assert all(set(obs) == {"main/loss"} for obs in seen)
    assert trainer.elapsed_time > 0


def test_observers_for_sublinks(tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, "iteration"))
    model = trainer.updater.get_optimizer("main").target
    obs: dict = {}
    with trainer.reporter.scope(obs):
        trainer.reporter.report({"w": 1.0}, model.l)
    assert obs == {"main/l/w": 1.0}


def test_extensions_run_by_priority_then_insertion_order(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(1, "iteration"))
    order = []
    for name, priority in [
        ("reader", training.PRIORITY_READER),
        ("writer", training.PRIORITY_WRITER),
        ("reader2", training.PRIORITY_READER),
        ("editor", training.PRIORITY_EDITOR),
    ]:
        trainer.extend(lambda t, n=name: order.append(n), name=name, priority=priority)
    trainer.run()
    assert order == ["writer", "editor", "reader", "reader2"]


def test_extension_names_are_unique(tmp_path):
    trainer = fake_trainer(tmp_path)
    a, b, c = extensions.LogReport(), extensions.LogReport(), extensions.LogReport()
    trainer.extend(a)
    trainer.extend(b)
    trainer.extend(c, name="LogReport")
    assert (a.name, b.name, c.name) == ("LogReport", "LogReport_1", "LogReport_2")
    assert trainer.get_extension("LogReport_1") is b
    with pytest.raises(ValueError, match="no extension named 'nope'"):
        trainer.get_extension("nope")


def test_extend_errors(tmp_path):
    trainer = fake_trainer(tmp_path)
    with pytest.raises(ValueError, match="training"):
        trainer.extend(lambda t: None, name="training")
    with pytest.raises(TypeError, match="unexpected keyword"):
        trainer.extend(lambda t: None, name="x", invoke_before_training=True)

    class NoName:
        __slots__ = ()

        def __call__(self, trainer):
            pass

    with pytest.raises(TypeError, match="no name"):
        trainer.extend(NoName())


def test_call_before_training_initialize_finalize(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(3, "iteration"))
    events = []

    class Ext(training.Extension):
        trigger = 2, "iteration"

        def initialize(self, t):
            events.append(("init", t.updater.iteration))

        def __call__(self, t):
            events.append(("call", t.updater.iteration))

        def finalize(self):
            events.append(("final",))

    trainer.extend(Ext(), call_before_training=True)
    trainer.run()
    assert events == [("init", 0), ("call", 0), ("call", 2), ("final",)]
    assert trainer.updater.finalized
    with pytest.raises(RuntimeError, match="only once"):
        trainer.run()


def test_error_calls_on_error_and_finalize(tmp_path, capsys):
    trainer = fake_trainer(tmp_path, stop=(5, "iteration"))
    events = []

    class Boom(training.Extension):
        def __call__(self, t):
            if t.updater.iteration == 2:
                raise ValueError("boom")

        def on_error(self, t, exc, tb):
            events.append(("error", str(exc), tb is not None))

        def finalize(self):
            events.append(("final",))

    trainer.extend(Boom())
    with pytest.raises(ValueError, match="boom"):
        trainer.run()
    assert events == [("error", "boom", True), ("final",)]
    assert "Exception in main training loop: boom" in capsys.readouterr().err
    with pytest.raises(ValueError):
        fake = fake_trainer(tmp_path, stop=(5, "iteration"))
        fake.extend(Boom())
        fake.run(show_loop_exception_msg=False)
    assert capsys.readouterr().err == ""


def test_elapsed_time_before_start(tmp_path):
    with pytest.raises(RuntimeError, match="not been started"):
        _ = fake_trainer(tmp_path).elapsed_time


def test_serialize_round_trip_restores_everything(tmp_path):
    trainer = make_trainer(tmp_path / "a", stop=(2, "epoch"), shuffle=True)
    trainer.extend(extensions.LogReport(trigger=(1, "epoch")))
    trainer.run()
    path = str(tmp_path / "snap.npz")
    numpy.random.seed(3)
    serializers.save_npz(path, trainer)
    expected_random = numpy.random.rand(3)

    other = make_trainer(tmp_path / "b", stop=(2, "epoch"), shuffle=True)
    other.extend(extensions.LogReport(trigger=(1, "epoch")))
    numpy.random.seed(99)
    serializers.load_npz(path, other)
    numpy.testing.assert_array_equal(numpy.random.rand(3), expected_random)
    assert other.updater.iteration == 8
    assert other.get_extension("LogReport").log == trainer.get_extension("LogReport").log
    a = trainer.updater.get_optimizer("main").target
    b = other.updater.get_optimizer("main").target
    numpy.testing.assert_array_equal(a.l.W.array, b.l.W.array)
    assert other._snapshot_elapsed_time == pytest.approx(trainer.elapsed_time)


def test_extend_with_bound_method(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(2, "iteration"))
    calls = []

    class Counter:
        def tick(self, t):
            calls.append(t.updater.iteration)

    trainer.extend(Counter().tick)
    trainer.run()
    assert calls == [1, 2]
    assert trainer.get_extension("tick").__name__ == "tick"
