"""Hyperparameter schedules: ExponentialShift, LinearShift, StepShift, MultistepShift,
PolynomialShift, InverseShift, WarmupShift."""

from __future__ import annotations

import numpy
import pytest

from kusari import optimizers, serializers
from kusari.training import extensions

from .._helpers import Regressor, fake_trainer


class _Updater:
    def __init__(self, optimizer):
        self.optimizer = optimizer

    def get_optimizer(self, name):
        return self.optimizer


class _Trainer:
    def __init__(self, optimizer):
        self.updater = _Updater(optimizer)


def _schedule(ext, calls, lr=1.0):
    opt = optimizers.SGD(lr=lr)
    opt.setup(Regressor())
    trainer = _Trainer(opt)
    ext.initialize(trainer)
    values = [opt.lr]
    for _ in range(calls):
        ext(trainer)
        values.append(opt.lr)
    return values


@pytest.mark.parametrize(
    "ext, expected",
    [
        (lambda: extensions.ExponentialShift("lr", 0.5), [1.0, 0.5, 0.25, 0.125]),
        (
            lambda: extensions.ExponentialShift("lr", 0.5, init=2.0, target=0.6),
            [2.0, 1.0, 0.6, 0.6],
        ),
        (lambda: extensions.ExponentialShift("lr", 2.0, target=3.0), [1.0, 2.0, 3.0, 3.0]),
        (lambda: extensions.LinearShift("lr", (1.0, 0.0), (1, 3)), [1.0, 1.0, 0.5, 0.0]),
        (lambda: extensions.StepShift("lr", 0.5, 2), [1.0, 1.0, 0.5, 0.5]),
        (lambda: extensions.MultistepShift("lr", 0.1, [1, 3], None), [1.0, 0.1, 0.1, 0.01]),
        (lambda: extensions.PolynomialShift("lr", 2.0, 2), [1.0, 0.25, 0.0, 0.0]),
        (lambda: extensions.InverseShift("lr", 1.0, 1.0), [1.0, 0.5, 1 / 3, 0.25]),
        (lambda: extensions.WarmupShift("lr", 0.0, 2, 1.0), [0.0, 0.5, 1.0, 1.0]),
    ],
)
def test_schedule_values(ext, expected):
    assert _schedule(ext(), 3) == pytest.approx(expected)


def test_shift_resumes_from_last_value(tmp_path):
    ext = extensions.ExponentialShift("lr", 0.5)
    _schedule(ext, 2)
    path = str(tmp_path / "s.npz")
    serializers.save_npz(path, ext)
    resumed = extensions.ExponentialShift("lr", 0.5)
    serializers.load_npz(path, resumed)
    assert _schedule(resumed, 1) == pytest.approx([0.25, 0.125])


def test_shift_in_trainer_with_observe_lr(tmp_path):
    from .._helpers import make_trainer

    trainer = make_trainer(tmp_path, stop=(3, "epoch"))
    trainer.extend(extensions.ExponentialShift("lr", 0.5), trigger=(1, "epoch"))
    trainer.extend(extensions.observe_lr(), trigger=(1, "iteration"))
    trainer.extend(extensions.LogReport())
    trainer.run()
    lrs = [e["lr"] for e in trainer.get_extension("LogReport").log]
    # observe_lr (a writer) runs before the shift, which fires after each epoch's last
    # update: every iteration of epoch k sees 0.1 * 0.5 ** (k - 1)
    assert lrs == pytest.approx([0.1, 0.05, 0.025])


def test_shift_argument_errors():
    with pytest.raises(ValueError, match="rate"):
        extensions.ExponentialShift("lr", 0)
    with pytest.raises(ValueError, match="time_range"):
        extensions.LinearShift("lr", (1, 0), (3, 3))
    with pytest.raises(ValueError, match="step"):
        extensions.StepShift("lr", 0.5, 0)
    with pytest.raises(ValueError, match="warmup_iter"):
        extensions.WarmupShift("lr", 0.0, 0, 1.0)


def test_observe_value(tmp_path):
    trainer = fake_trainer(tmp_path, stop=(3, "iteration"))
    seen = []
    trainer.extend(
        extensions.observe_value("it", lambda t: t.updater.iteration * 10),
        trigger=(1, "iteration"),
    )
    trainer.extend(lambda t: seen.append(t.observation.get("it")), name="spy")
    trainer.run()
    assert seen == [10, 20, 30]


def test_shift_loads_state_without_last_value():
    # Chainer's WarmupShift and MultistepShift save only their step count.
    ext = extensions.WarmupShift("lr", 0.0, 4, 1.0)
    serializers.NpzDeserializer({"_t": numpy.asarray(2)}).load(ext)
    assert _schedule(ext, 1) == pytest.approx([0.5, 0.75])
