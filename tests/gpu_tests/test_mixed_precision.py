"""float16 models on the GPU: float32 master weights (``use_fp32_update``) and dynamic
loss scaling (``optimizer.loss_scaling()``), against the same run on the CPU."""

from __future__ import annotations

import copy

import numpy

import kusari
from kusari import optimizers
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK


def _half_model() -> kusari.Link:
    with kusari.using_config("dtype", numpy.float16):
        model = h.make_model("mlp")
    for _, p in model.namedparams():
        assert p.array.dtype == numpy.float16
    return model


def _data(device, n: int = 16):
    x, t = kusari.dataset.concat_examples(h.classification_data("mlp", n), device)
    return x.astype(numpy.float16), t


def _train(model, device, steps: int, scale: float | None = None, interval: int = 2):
    opt = optimizers.MomentumSGD(lr=0.05)
    opt.setup(model)
    opt.use_fp32_update()
    if scale is not None:
        opt.loss_scaling(interval=interval, scale=scale)
    x, t = _data(device)
    scales, losses = [], []
    for _ in range(steps):
        scales.append(opt._loss_scale)
        model.cleargrads()
        loss = model(x, t)
        losses.append(float(loss.array))
        with numpy.errstate(over="ignore", invalid="ignore"):  # overflow is the point
            loss.backward(loss_scale=opt._loss_scale)
            opt.update()
    return opt, scales, losses


def test_fp32_master_weights(device):
    initial = _half_model()
    gpu = copy.deepcopy(initial).to_device(h.device_spec())
    cpu = copy.deepcopy(initial)
    _, _, gl = _train(gpu, device, 4)
    _, _, cl = _train(cpu, backend_cpu(), 4)
    assert gl[-1] < gl[0]  # it learns
    numpy.testing.assert_allclose(gl, cl, rtol=1e-2)
    cpu_params = dict(cpu.namedparams())
    for name, p in gpu.namedparams():
        assert p.array.dtype == numpy.float16
        master = p.update_rule._fp32_param
        assert master is not None and master.array.dtype == numpy.float32, name
        assert h.on_device(master.array, device), name
        h.assert_close(master.array, cpu_params[name].update_rule._fp32_param.array,
                       2e-2, 2e-3, f"master {name}")
        numpy.testing.assert_array_equal(h.host(p.array),
                                         h.host(master.array).astype(numpy.float16))


def test_dynamic_loss_scaling(device):
    initial = _half_model()
    gpu = copy.deepcopy(initial).to_device(h.device_spec())
    cpu = copy.deepcopy(initial)
    # 2**17 overflows float16 at once: the first steps are skipped and the scale halved
    gopt, gscales, _ = _train(gpu, device, 8, scale=2.0 ** 17)
    copt, cscales, _ = _train(cpu, backend_cpu(), 8, scale=2.0 ** 17)
    assert gscales == cscales
    assert gscales[1] < gscales[0]
    assert gopt._loss_scale == copt._loss_scale
    for name, p in gpu.namedparams():
        a = h.host(p.array)
        assert numpy.isfinite(a).all(), name
        assert not (a == h.host(dict(initial.namedparams())[name].array)).all(), name
    h.assert_links_close(gpu, cpu, 2e-2, 2e-3)


def test_skipped_step_leaves_params(device):
    model = _half_model().to_device(h.device_spec())
    before = {n: h.host(p.array) for n, p in model.namedparams()}
    opt, scales, _ = _train(model, device, 1, scale=2.0 ** 20)
    assert opt._loss_scale == scales[0] / 2
    for name, p in model.namedparams():
        numpy.testing.assert_array_equal(h.host(p.array), before[name], err_msg=name)


def backend_cpu():
    return kusari.backend.CpuDevice()
