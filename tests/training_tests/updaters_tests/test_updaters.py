"""StandardUpdater and ParallelUpdater."""

from __future__ import annotations

import copy

import numpy
import pytest

import kusari.functions as F
from kusari import iterators, optimizers, serializers, training

from .._helpers import Regressor, make_data


def _updater(batch=5, **kwargs):
    model = Regressor()
    opt = optimizers.SGD(lr=0.1)
    opt.setup(model)
    it = iterators.SerialIterator(make_data(20), batch, shuffle=False)
    return training.StandardUpdater(it, opt, **kwargs), model, opt


def test_standard_update_matches_manual_step():
    updater, model, _ = _updater()
    before = copy.deepcopy(model)
    updater.update()
    x, t = (numpy.stack(a) for a in zip(*make_data(20)[:5]))
    before.cleargrads()
    F.mean_squared_error(before.l(x), t).backward()
    numpy.testing.assert_allclose(
        model.l.W.array, before.l.W.array - 0.1 * before.l.W.grad, rtol=1e-6
    )
    assert updater.iteration == 1
    assert updater.epoch_detail == pytest.approx(0.25)


def test_auto_new_epoch_counts_optimizer_epochs():
    updater, _, opt = _updater()
    for _ in range(8):
        updater.update()
    assert updater.epoch == 2 and opt.epoch == 2
    assert updater.is_new_epoch


def test_loss_func_and_dict_converter():
    calls = []

    def converter(batch, device=None):  # Chainer calls old-style ones without device
        x, t = (numpy.stack(a) for a in zip(*batch))
        return {"x": x, "t": t}

    def loss_func(x, t):
        calls.append(x.shape)
        return F.mean_squared_error(model.l(x), t)

    updater, model, _ = _updater(converter=converter, loss_func=loss_func)
    updater.update()
    assert calls == [(5, 3)]


def test_serialize_keys_and_round_trip(tmp_path):
    updater, model, _ = _updater()
    for _ in range(3):
        updater.update()
    path = str(tmp_path / "u.npz")
    serializers.save_npz(path, updater)
    with numpy.load(path) as f:
        keys = set(f.files)
    assert "iteration" in keys
    assert any(k.startswith("iterator:main/") for k in keys)
    assert any(k.startswith("optimizer:main/") for k in keys)
    assert "model:main/l/W" in keys
    other, other_model, _ = _updater()
    serializers.load_npz(path, other)
    assert other.iteration == 3 and other.epoch_detail == pytest.approx(0.75)
    numpy.testing.assert_array_equal(other_model.l.W.array, model.l.W.array)


def test_missing_main_entry():
    with pytest.raises(ValueError, match="'main'"):
        training.StandardUpdater({"train": None}, None)


def test_parallel_updater_on_cpu_copies():
    model = Regressor()
    reference = copy.deepcopy(model)
    opt = optimizers.SGD(lr=0.1)
    opt.setup(model)
    it = iterators.SerialIterator(make_data(20), 4, shuffle=False)
    updater = training.ParallelUpdater(it, opt, devices={"main": "@numpy", "second": "@numpy"})
    updater.update()
    # Expected: the sum of the gradients of the two halves (batch[0::2], batch[1::2]).
    batch = make_data(20)[:4]
    grads = []
    for part in (batch[0::2], batch[1::2]):
        m = copy.deepcopy(reference)
        x, t = (numpy.stack(a) for a in zip(*part))
        F.mean_squared_error(m.l(x), t).backward()
        grads.append(m.l.W.grad)
    numpy.testing.assert_allclose(
        model.l.W.array, reference.l.W.array - 0.1 * (grads[0] + grads[1]), rtol=1e-5
    )
    second = updater._models["second"]
    numpy.testing.assert_array_equal(second.l.W.array, model.l.W.array)


def test_parallel_updater_needs_devices():
    opt = optimizers.SGD()
    opt.setup(Regressor())
    with pytest.raises(ValueError, match="models or devices"):
        training.ParallelUpdater(None, opt)
    with pytest.raises(KeyError, match="'main'"):
        training.ParallelUpdater(None, opt, devices={"a": "@numpy"})


def test_optimizer_dict_without_main_for_custom_updaters():
    gen, dis = optimizers.SGD(), optimizers.SGD()
    gen.setup(Regressor())
    dis.setup(Regressor())
    it = iterators.SerialIterator(make_data(20), 5)
    updater = training.StandardUpdater(it, {"gen": gen, "dis": dis})
    assert updater.get_all_optimizers() == {"gen": gen, "dis": dis}
    trainer = training.Trainer(updater, (1, "epoch"))
    obs: dict = {}
    with trainer.reporter.scope(obs):
        trainer.reporter.report({"loss": 1.0}, dis.target)
    assert obs == {"dis/loss": 1.0}


def test_multiprocess_parallel_updater_is_explicitly_unavailable():
    assert not training.updaters.MultiprocessParallelUpdater.available()
    with pytest.raises(NotImplementedError, match="ParallelUpdater"):
        training.updaters.MultiprocessParallelUpdater(None, None)
