"""Every optimizer's GPU kernel (``update_core_gpu``) against its CPU update, and the
optimizer hooks that have GPU paths."""

from __future__ import annotations

import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK

OPTIMIZERS = sorted(optimizers.__all__)
KWARGS = {"AdaBound": {"final_lr": 0.05}, "AMSBound": {"final_lr": 0.05}}


class _Params(kusari.Link):
    def __init__(self, dtype) -> None:
        super().__init__()
        rng = numpy.random.RandomState(0)
        with self.init_scope():
            self.w = kusari.Parameter(rng.randn(33, 17).astype(dtype))
            self.b = kusari.Parameter(rng.randn(5).astype(dtype))


def _grads(step: int, dtype) -> dict:
    rng = numpy.random.RandomState(100 + step)
    return {"/w": rng.randn(33, 17).astype(dtype), "/b": rng.randn(5).astype(dtype)}


def _run(name: str, spec: str, dtype, hooks=(), fp32: bool = False, steps: int = 3):
    link = _Params(dtype).to_device(spec)
    opt = getattr(optimizers, name)(**KWARGS.get(name, {}))
    opt.setup(link)
    if fp32:
        opt.use_fp32_update()
    for hook in hooks:
        opt.add_hook(hook)
    dev = link.device
    for step in range(steps):
        for pname, p in link.namedparams():
            p.grad = dev.send(_grads(step, dtype)[pname])
        opt.update()
    return link, opt


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float16, numpy.float64])
def test_optimizer_matches_cpu(name, dtype, device):
    try:
        cpu, _ = _run(name, "@numpy", dtype)
    except ValueError as e:  # e.g. eps too small for float16: the GPU must refuse too
        with pytest.raises(ValueError, match="too small"):
            _run(name, h.device_spec(), dtype)
        assert "too small" in str(e)
        return
    gpu, _ = _run(name, h.device_spec(), dtype)
    tol = {numpy.float16: (5e-3, 5e-3), numpy.float32: (1e-5, 1e-6),
           numpy.float64: (1e-10, 1e-12)}[dtype]
    before = _Params(dtype)
    h.assert_deltas_close(before, gpu, cpu, rtol=tol[0] * 10, rel_atol=tol[0] * 10)
    cpu_params = dict(cpu.namedparams())
    for pname, p in gpu.namedparams():
        assert h.on_device(p.array, device)
        assert p.array.dtype == dtype
        for key, value in p.update_rule.state.items():
            ref = cpu_params[pname].update_rule.state[key]
            assert h.on_device(value, device), key
            h.assert_close(value, ref, tol[0] * 10, tol[1] * 10, f"{name} {pname}/{key}")


@pytest.mark.parametrize("name", ["SGD", "MomentumSGD", "Adam"])
def test_fp32_update_of_float16_params(name, device):
    gpu, _ = _run(name, h.device_spec(), numpy.float16, fp32=True)
    cpu, _ = _run(name, "@numpy", numpy.float16, fp32=True)
    cpu_params = dict(cpu.namedparams())
    for pname, p in gpu.namedparams():
        assert p.array.dtype == numpy.float16
        master = p.update_rule._fp32_param
        assert master.array.dtype == numpy.float32
        assert h.on_device(master.array, device)
        h.assert_close(master.array, cpu_params[pname].update_rule._fp32_param.array,
                       1e-5, 1e-6, f"master {pname}")
        h.assert_close(p.array, cpu_params[pname].array, 1e-3, 1e-3, pname)


HOOKS = {
    "WeightDecay": lambda: optimizer_hooks.WeightDecay(0.01),
    "Lasso": lambda: optimizer_hooks.Lasso(0.01),
    "GradientClipping": lambda: optimizer_hooks.GradientClipping(1.0),
    "GradientHardClipping": lambda: optimizer_hooks.GradientHardClipping(-0.5, 0.5),
    "GradientLARS": lambda: optimizer_hooks.GradientLARS(),
}


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_hook_matches_cpu(hook, device):
    gpu, _ = _run("MomentumSGD", h.device_spec(), numpy.float32, hooks=[HOOKS[hook]()])
    cpu, _ = _run("MomentumSGD", "@numpy", numpy.float32, hooks=[HOOKS[hook]()])
    h.assert_deltas_close(_Params(numpy.float32), gpu, cpu, rtol=1e-4, rel_atol=1e-4)


def test_gradient_noise_runs_on_the_device(device):
    gpu, _ = _run("SGD", h.device_spec(), numpy.float32,
                  hooks=[optimizer_hooks.GradientNoise(0.01)])
    for _, p in gpu.namedparams():
        assert h.on_device(p.array, device)
        assert numpy.isfinite(h.host(p.array)).all()
