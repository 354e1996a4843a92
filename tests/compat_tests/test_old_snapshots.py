"""Trainer snapshots in Chainer 7's key layout load into the same kusari trainer: one
written by the reference Chainer 7.8.1 (data/chainer_trainer_snapshot.npz, made by
record_chainer_snapshot.py) and one assembled key by key."""

import json
import pathlib

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import serializers, training
from kusari.training import extensions

DATA = pathlib.Path(__file__).resolve().parent / "data"


class Net(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(4, 1)

    def forward(self, x, t):
        loss = F.mean_squared_error(self.l2(F.relu(self.l1(x))), t)
        kusari.report({"loss": loss}, self)
        return loss


def make_trainer(out, stop):
    """The trainer of record_chainer_snapshot.py, built with kusari."""
    numpy.random.seed(0)
    x = numpy.random.randn(20, 3).astype(numpy.float32)
    t = x.sum(1, keepdims=True)
    model = Net()
    opt = kusari.optimizers.MomentumSGD(lr=0.05, momentum=0.9)
    opt.setup(model)
    it = kusari.iterators.SerialIterator(kusari.datasets.TupleDataset(x, t), 8)
    trainer = training.Trainer(training.updaters.StandardUpdater(it, opt), stop, out=str(out))
    trainer.extend(extensions.LogReport(trigger=(1, "iteration")))
    trainer.extend(extensions.snapshot(filename="snapshot"), trigger=(5, "iteration"))
    return trainer, model, opt, it, (x, t)


def test_snapshot_written_by_chainer_resumes_identically(tmp_path):
    record = json.loads((DATA / "chainer_trainer_snapshot.json").read_text())
    state = record["snapshot"]
    trainer, model, opt, it, _ = make_trainer(tmp_path, (12, "iteration"))
    serializers.load_npz(DATA / "chainer_trainer_snapshot.npz", trainer)

    assert trainer.updater.iteration == state["iteration"] == 5
    assert (it.epoch, it.current_position) == (state["epoch"], state["current_position"])
    assert opt.t == state["optimizer_t"]
    numpy.testing.assert_array_equal(model.l1.W.array, numpy.float32(state["l1_W"]))
    numpy.testing.assert_array_equal(model.l2.b.array, numpy.float32(state["l2_b"]))
    numpy.testing.assert_array_equal(model.l1.W.update_rule.state["v"],
                                     numpy.float32(state["l1_W_v"]))
    log = trainer.get_extension("LogReport").log
    assert [e["main/loss"] for e in log] == state["log_losses"]

    numpy.random.seed(123)  # the next epoch's shuffle, as in the recording
    trainer.run()
    losses = [e["main/loss"] for e in trainer.get_extension("LogReport").log]
    assert len(losses) == len(record["continued_losses"]) == 12
    numpy.testing.assert_allclose(losses, record["continued_losses"], rtol=1e-5, atol=1e-7)
    numpy.testing.assert_allclose(model.l2.W.array, record["final_l2_W"], rtol=1e-5, atol=1e-7)


def _hand_built_chainer_snapshot(path):
    """A Chainer 7 trainer snapshot assembled key by key (as ``snapshot()`` lays it out)."""
    rng = numpy.random.RandomState(5)
    params = {"l1/W": (4, 3), "l1/b": (4,), "l2/W": (1, 4), "l2/b": (1,)}
    arrays = {}
    for name, shape in params.items():
        arrays[f"updater/model:main/{name}"] = rng.uniform(-1, 1, shape).astype(numpy.float32)
        arrays[f"updater/optimizer:main/{name}/t"] = numpy.int64(7)
        arrays[f"updater/optimizer:main/{name}/v"] = (
            rng.uniform(-0.1, 0.1, shape).astype(numpy.float32))
    log = [{"main/loss": 1.0 / (i + 1), "epoch": i // 3, "iteration": i + 1,
            "elapsed_time": 0.01 * i} for i in range(7)]
    arrays.update({
        "_snapshot_elapsed_time": numpy.float64(1.5),
        "updater/iteration": numpy.int64(7),
        "updater/optimizer:main/t": numpy.int64(7),
        "updater/optimizer:main/epoch": numpy.int64(2),
        "updater/iterator:main/current_position": numpy.int64(4),
        "updater/iterator:main/epoch": numpy.int64(2),
        "updater/iterator:main/is_new_epoch": numpy.bool_(False),
        "updater/iterator:main/order": rng.permutation(20).astype(numpy.int64),
        "updater/iterator:main/previous_epoch_detail": numpy.float64(2.2),
        "stop_trigger/previous_iteration": numpy.int64(7),
        "stop_trigger/previous_epoch_detail": numpy.float64(2.8),
        "extensions/LogReport/_log": numpy.array(json.dumps(log)),
        "extensions/LogReport/_summary/_names": numpy.array(json.dumps([])),
        "extensions/LogReport/_trigger/previous_iteration": numpy.int64(7),
        "extensions/LogReport/_trigger/previous_epoch_detail": numpy.float64(2.8),
        "extension_triggers/LogReport/previous_iteration": numpy.int64(7),
        "extension_triggers/LogReport/previous_epoch_detail": numpy.float64(2.8),
        "extension_triggers/_Snapshot/previous_iteration": numpy.int64(5),
        "extension_triggers/_Snapshot/previous_epoch_detail": numpy.float64(2.0),
    })
    numpy.savez(path, **arrays)
    return arrays, log


def test_hand_built_chainer_layout_loads_and_the_next_update_uses_it(tmp_path):
    arrays, log = _hand_built_chainer_snapshot(tmp_path / "snapshot_iter_7.npz")
    trainer, model, opt, it, (x, t) = make_trainer(tmp_path / "out", (8, "iteration"))
    serializers.load_npz(tmp_path / "snapshot_iter_7.npz", trainer)

    for name, p in model.namedparams():
        numpy.testing.assert_array_equal(p.array, arrays[f"updater/model:main{name}"])
        numpy.testing.assert_array_equal(p.update_rule.state["v"],
                                         arrays[f"updater/optimizer:main{name}/v"])
        assert p.update_rule.t == 7
    assert (trainer.updater.iteration, opt.t, opt.epoch) == (7, 7, 2)
    assert (it.epoch, it.current_position, it.is_new_epoch) == (2, 4, False)
    assert it.epoch_detail == pytest.approx(2 + 4 / 20)
    assert trainer.get_extension("LogReport").log == log

    # one more iteration: the batch is order[4:12]; MomentumSGD: v = 0.9 v - lr g; W += v
    order = arrays["updater/iterator:main/order"]
    batch = order[4:12]
    ref = Net()
    for (_, p), (_, q) in zip(sorted(model.namedparams()), sorted(ref.namedparams())):
        q.array = p.array.copy()
    ref.cleargrads()
    ref(x[batch], t[batch]).backward()
    expected = {name: p.array + (0.9 * arrays[f"updater/optimizer:main{name}/v"]
                                 - numpy.float32(0.05) * p.grad)
                for name, p in ref.namedparams()}
    trainer.run()
    assert trainer.updater.iteration == 8 and it.current_position == 12
    for name, p in model.namedparams():
        numpy.testing.assert_allclose(p.array, expected[name], rtol=1e-6, atol=1e-7)
    assert len(trainer.get_extension("LogReport").log) == 8


def test_model_only_keys_load_with_path(tmp_path):
    """``load_npz(..., path='updater/model:main/')`` pulls the model out of a snapshot."""
    arrays, _ = _hand_built_chainer_snapshot(tmp_path / "snap.npz")
    model = Net()
    serializers.load_npz(tmp_path / "snap.npz", model, path="updater/model:main/")
    numpy.testing.assert_array_equal(model.l2.W.array, arrays["updater/model:main/l2/W"])


def test_kusari_snapshot_uses_chainer_keys(tmp_path):
    """The snapshot kusari writes for the same trainer has Chainer's keys (plus kusari's
    random states, which Chainer ignores when loading)."""
    trainer, *_ = make_trainer(tmp_path, (5, "iteration"))
    trainer.run()
    ours = set(numpy.load(tmp_path / "snapshot").files)
    chainers = set(numpy.load(DATA / "chainer_trainer_snapshot.npz").files)
    extra = {k for k in ours - chainers
             if k.startswith("random_state/") or "/_rng_state/" in k}
    assert ours - extra == chainers
