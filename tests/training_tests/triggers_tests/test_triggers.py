"""Tests of the triggers against hand-computed firing patterns."""

from __future__ import annotations

import pytest

from kusari import serializers, training
from kusari.training import triggers

from .._helpers import fake_trainer, fire_pattern


def test_interval_trigger_iteration():
    assert fire_pattern(triggers.IntervalTrigger(3, "iteration"), 10) == [3, 6, 9]


def test_interval_trigger_epoch_and_fractional():
    assert fire_pattern(triggers.IntervalTrigger(1, "epoch"), 12, 5) == [5, 10]
    assert fire_pattern(triggers.IntervalTrigger(0.5, "epoch"), 10, 4) == [2, 4, 6, 8, 10]


def test_interval_trigger_errors_and_length():
    with pytest.raises(ValueError, match="unit"):
        triggers.IntervalTrigger(1, "epochs")
    with pytest.raises(ValueError, match="period"):
        triggers.IntervalTrigger(0, "epoch")
    assert triggers.IntervalTrigger(7, "epoch").get_training_length() == (7, "epoch")


def test_interval_trigger_resumes(tmp_path):
    t = triggers.IntervalTrigger(4, "iteration")
    trainer = fake_trainer(tmp_path)
    for _ in range(3):
        trainer.updater.update()
        t(trainer)
    path = str(tmp_path / "t.npz")
    serializers.save_npz(path, t)
    resumed = triggers.IntervalTrigger(4, "iteration")
    serializers.load_npz(path, resumed)
    trainer.updater.update()
    assert resumed(trainer)


def test_get_trigger():
    assert training.get_trigger(None)(None) is False
    f = lambda t: True  # noqa: E731
    assert training.get_trigger(f) is f
    assert isinstance(training.get_trigger((2, "epoch")), triggers.IntervalTrigger)
    with pytest.raises(TypeError, match="period, unit"):
        training.get_trigger(5)


def test_manual_schedule_trigger():
    t = triggers.ManualScheduleTrigger([2, 5], "iteration")
    assert fire_pattern(t, 8) == [2, 5]
    assert t.finished
    t = triggers.ManualScheduleTrigger(1.5, "epoch")
    assert fire_pattern(t, 10, 2) == [3]


class _Observed:
    """Feed a value sequence to a trigger, one per iteration."""

    def __init__(self, trigger, key, values, iters_per_epoch=1):
        self.trainer = fake_trainer("unused", None, iters_per_epoch)
        self.trigger, self.key, self.values = trigger, key, values

    def run(self):
        fired = []
        for v in self.values:
            self.trainer.updater.update()
            self.trainer.observation = {self.key: v}
            if self.trigger(self.trainer):
                fired.append(self.trainer.updater.iteration)
        return fired


def test_min_max_value_triggers():
    values = [3.0, 2.0, 2.5, 1.0, 4.0]
    t = triggers.MinValueTrigger("v", (1, "iteration"))
    assert _Observed(t, "v", values).run() == [1, 2, 4]
    assert t.best_value == 1.0
    t = triggers.MaxValueTrigger("v", (1, "iteration"))
    assert _Observed(t, "v", values).run() == [1, 5]


def test_min_value_trigger_averages_over_interval():
    # epoch means: (3+1)/2=2, (2+2.5)/2=2.25, (0+1)/2=0.5
    t = triggers.MinValueTrigger("v", (1, "epoch"))
    assert _Observed(t, "v", [3, 1, 2, 2.5, 0, 1], iters_per_epoch=2).run() == [2, 6]


def test_early_stopping_trigger():
    t = triggers.EarlyStoppingTrigger(
        check_trigger=(1, "iteration"), monitor="v", patience=2, max_trigger=(100, "iteration")
    )
    # improves at 1, 2; no improvement at 3 and 4: stop at 4
    assert _Observed(t, "v", [5.0, 4.0, 4.5, 4.2, 1.0]).run() == [4]


def test_early_stopping_max_mode_and_max_trigger():
    t = triggers.EarlyStoppingTrigger(
        check_trigger=(1, "iteration"),
        monitor="main/accuracy",
        patience=10,
        max_trigger=(3, "iteration"),
    )
    assert t.get_training_length() == (3, "iteration")
    assert _Observed(t, "main/accuracy", [0.1, 0.2, 0.3, 0.4]).run() == [3]
    # 'accuracy' in the key means larger is better: rising values never stop training
    t = triggers.EarlyStoppingTrigger(
        check_trigger=(1, "iteration"), monitor="main/accuracy", patience=1
    )
    assert _Observed(t, "main/accuracy", [0.1, 0.2, 0.3, 0.2]).run() == [4]
    with pytest.raises(ValueError, match="mode"):
        triggers.EarlyStoppingTrigger(mode="best")


def test_once_trigger(tmp_path):
    t = triggers.OnceTrigger()
    assert [t(None) for _ in range(3)] == [True, False, False]
    assert t.finished
    path = str(tmp_path / "o.npz")
    serializers.save_npz(path, t)
    resumed = triggers.OnceTrigger(call_on_resume=True)
    serializers.load_npz(path, resumed)
    assert [resumed(None) for _ in range(2)] == [True, False]
    plain = triggers.OnceTrigger()
    serializers.load_npz(path, plain)
    assert plain(None) is False


def test_time_trigger():
    class T:
        elapsed_time = 0.0

    t = triggers.TimeTrigger(1.0)
    fired = []
    for step in range(1, 8):
        T.elapsed_time = step * 0.4
        fired.append(t(T))
    # elapsed 0.4 .. 2.8: passes 1.0 at 1.2 and 2.0 at 2.4
    assert fired == [False, False, True, False, False, True, False]
    with pytest.raises(ValueError, match="period"):
        triggers.TimeTrigger(0)
