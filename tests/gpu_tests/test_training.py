"""Training steps on the GPU give the parameters the CPU gives (float32 tolerance).

Each model is built once on the CPU, deep-copied, and one copy is trained with
``StandardUpdater(..., device=<gpu>)``; the parameter *updates* of the two runs are
compared relative to their size, then the optimizer states and persistents.
"""

from __future__ import annotations

import copy

import pytest

import kusari
from kusari import iterators, optimizers, reporter
from kusari.training import updaters
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK

STEPS = 3


def _optimizer(kind: str) -> kusari.Optimizer:
    if kind == "mlp":
        # eps well above the float32 noise of near-zero gradients, so Adam's m / sqrt(v)
        # does not amplify rounding differences into sign flips
        return optimizers.Adam(alpha=1e-3, eps=1e-4)
    if kind == "cnn":
        return optimizers.MomentumSGD(lr=0.05, momentum=0.9)
    return optimizers.SGD(lr=0.5)


def _train(model: kusari.Link, kind: str, device) -> kusari.Optimizer:
    opt = _optimizer(kind).setup(model)
    it = iterators.SerialIterator(h.classification_data(kind), 8, shuffle=False)
    upd = updaters.StandardUpdater(it, opt, device=device)
    rep = reporter.Reporter()
    rep.add_observer("main", model)
    rep.add_observers("main", model.namedlinks(skipself=True))
    for _ in range(STEPS):
        with rep.scope({}):
            upd.update()
    return opt


@pytest.mark.parametrize("kind", ["mlp", "cnn", "lstm"])
def test_standard_updater_matches_cpu(kind, device):
    initial = h.make_model(kind)
    cpu_model = copy.deepcopy(initial)
    gpu_model = copy.deepcopy(initial)
    cpu_opt = _train(cpu_model, kind, "@numpy")
    gpu_opt = _train(gpu_model, kind, h.device_spec())

    for name, p in gpu_model.namedparams():
        assert h.on_device(p.array, device), name
    h.assert_deltas_close(initial, gpu_model, cpu_model)
    h.assert_links_close(gpu_model, cpu_model, rtol=1e-4, atol=1e-5)
    assert gpu_opt.t == cpu_opt.t == STEPS
    cpu_params = dict(cpu_model.namedparams())
    for name, p in gpu_model.namedparams():
        for key, value in p.update_rule.state.items():
            assert h.on_device(value, device), (name, key)
            h.assert_close(value, cpu_params[name].update_rule.state[key], rtol=1e-3,
                           atol=1e-6, what=f"{name}/{key}")


def test_batch_normalization_running_statistics(device):
    initial = h.make_model("cnn")
    cpu_model = copy.deepcopy(initial)
    gpu_model = copy.deepcopy(initial)
    _train(cpu_model, "cnn", "@numpy")
    _train(gpu_model, "cnn", h.device_spec())
    g_bn, c_bn = gpu_model.predictor.bn1, cpu_model.predictor.bn1
    assert h.on_device(g_bn.avg_mean, device)
    h.assert_close(g_bn.avg_mean, c_bn.avg_mean, 1e-4, 1e-5, "avg_mean")
    h.assert_close(g_bn.avg_var, c_bn.avg_var, 1e-4, 1e-5, "avg_var")
    # and inference with the running statistics agrees
    x, _ = kusari.dataset.concat_examples(h.classification_data("cnn")[:4])
    with kusari.using_config("train", False):
        yg = gpu_model.predictor(device.send(x))
        yc = cpu_model.predictor(x)
    h.assert_close(yg.array, yc.array, 1e-4, 1e-5, "inference output")
