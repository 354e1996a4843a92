"""Saving from the GPU and loading onto it (npz and HDF5), for links and optimizers."""

from __future__ import annotations

import copy

import numpy
import pytest

import kusari
from kusari import optimizers, serializers
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK


def _step(model: kusari.Link, opt: kusari.Optimizer, device) -> None:
    x, t = kusari.dataset.concat_examples(h.classification_data("cnn")[:8], device)
    opt.update(model, x, t)


def _formats() -> list:
    out = [pytest.param((serializers.save_npz, serializers.load_npz, "npz"), id="npz")]
    try:
        import h5py  # noqa: F401

        out.append(pytest.param((serializers.save_hdf5, serializers.load_hdf5, "h5"),
                                id="hdf5"))
    except ImportError:
        out.append(pytest.param(None, id="hdf5", marks=pytest.mark.skip("needs h5py")))
    return out


@pytest.mark.parametrize("fmt", _formats())
def test_link_and_optimizer_round_trip(fmt, device, tmp_path):
    save, load, ext = fmt
    model = h.make_model("cnn").to_device(h.device_spec())
    opt = optimizers.Adam().setup(model)
    _step(model, opt, device)
    save(tmp_path / f"model.{ext}", model)
    save(tmp_path / f"opt.{ext}", opt)

    # onto the CPU
    cpu_model = h.make_model("cnn", seed=1)
    load(tmp_path / f"model.{ext}", cpu_model)
    h.assert_links_close(cpu_model, model, 0, 0)
    for _, p in cpu_model.namedparams():
        assert isinstance(p.array, numpy.ndarray)

    # onto the GPU: the arrays stay where they are and get the values
    gpu_model = h.make_model("cnn", seed=1).to_device(h.device_spec())
    before = {n: p.array for n, p in gpu_model.namedparams()}
    load(tmp_path / f"model.{ext}", gpu_model)
    h.assert_links_close(gpu_model, model, 0, 0)
    for name, p in gpu_model.namedparams():
        assert h.on_device(p.array, device), name
        assert p.array is before[name], name  # loaded in place
    assert h.on_device(gpu_model.predictor.bn1.avg_mean, device)

    # the optimizer: states loaded before the first update, sent to the GPU by it
    gpu_opt = optimizers.Adam().setup(gpu_model)
    load(tmp_path / f"opt.{ext}", gpu_opt)
    assert gpu_opt.t == opt.t == 1
    ref_model, ref_opt = copy.deepcopy((model, opt))  # one memo: ref_opt.target is ref_model
    _step(gpu_model, gpu_opt, device)
    _step(ref_model, ref_opt, device)
    h.assert_links_close(gpu_model, ref_model, 1e-6, 1e-7)
    ref_params = dict(ref_model.namedparams())
    for name, p in gpu_model.namedparams():
        for key, value in p.update_rule.state.items():
            assert h.on_device(value, device), (name, key)
            h.assert_close(value, ref_params[name].update_rule.state[key], 1e-6, 1e-8,
                           f"{name}/{key}")


def test_lazy_link_loads_onto_the_gpu(device, tmp_path):
    src = kusari.links.Linear(4, 3)
    serializers.save_npz(tmp_path / "l.npz", src)
    dst = kusari.links.Linear(None, 3).to_device(h.device_spec())
    serializers.load_npz(tmp_path / "l.npz", dst)
    assert h.on_device(dst.W.array, device)
    h.assert_close(dst.W.array, src.W.array, 0, 0, "W")


def test_snapshot_of_a_gpu_trainer(device, tmp_path):
    from kusari import iterators, training
    from kusari.training import extensions

    def trainer(out):
        model = h.make_model("mlp").to_device(h.device_spec())
        opt = optimizers.MomentumSGD(lr=0.1).setup(model)
        it = iterators.SerialIterator(h.classification_data("mlp"), 4, shuffle=False)
        upd = training.updaters.StandardUpdater(it, opt, device=h.device_spec())
        return training.Trainer(upd, (4, "iteration"), out=str(out)), model

    tr, model = trainer(tmp_path / "a")
    tr.extend(extensions.snapshot(filename="snap"), trigger=(2, "iteration"))
    tr.run()
    tr2, model2 = trainer(tmp_path / "b")
    serializers.load_npz(tmp_path / "a" / "snap", tr2)
    assert tr2.updater.iteration == 4
    h.assert_links_close(model2, model, 0, 0)
    for name, p in model2.namedparams():
        assert h.on_device(p.array, device), name
        assert h.on_device(p.update_rule.state["v"], device), name
