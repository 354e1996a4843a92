"""``to_device`` moves parameters, gradients, persistents and optimizer states."""

from __future__ import annotations

import copy

import numpy

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import backend, optimizers
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK


def _train_step(model: kusari.Link, opt: kusari.Optimizer, x, t) -> None:
    model.cleargrads()
    loss = model(x, t)
    loss.backward()
    opt.update()


def test_link_to_device_moves_params_grads_persistents(device):
    model = h.make_model("cnn")
    x, t = (numpy.asarray(a) for a in kusari.dataset.concat_examples(
        h.classification_data("cnn")[:4]))
    loss = model(x, t)
    loss.backward()
    cpu_params = {n: h.host(p.array) for n, p in model.namedparams()}
    cpu_grads = {n: h.host(p.grad) for n, p in model.namedparams()}
    cpu_mean = h.host(model.predictor.bn1.avg_mean)

    assert model.to_device(h.device_spec()) is model
    assert model.device == device
    assert model.xp is device.xp
    for name, p in model.namedparams():
        assert h.on_device(p.array, device), name
        assert h.on_device(p.grad, device), name
        h.assert_close(p.array, cpu_params[name], 0, 0, name)
        h.assert_close(p.grad, cpu_grads[name], 0, 0, name)
    bn = model.predictor.bn1
    for pname in ("avg_mean", "avg_var"):
        assert h.on_device(getattr(bn, pname), device), pname
    h.assert_close(bn.avg_mean, cpu_mean, 0, 0, "avg_mean")
    assert isinstance(bn.N, int)  # a non-array persistent stays a Python value

    model.to_cpu()
    for name, p in model.namedparams():
        assert isinstance(p.array, numpy.ndarray), name
        assert isinstance(p.grad, numpy.ndarray), name
    assert isinstance(bn.avg_mean, numpy.ndarray)


def test_lazy_param_initializes_on_device(device):
    link = L.Linear(None, 3)
    link.to_device(h.device_spec())
    y = link(device.send(numpy.ones((2, 4), numpy.float32)))
    assert h.on_device(link.W.array, device)
    assert h.on_device(y.array, device)


def test_optimizer_states_follow_the_params(device):
    dset = h.classification_data("mlp")
    x, t = kusari.dataset.concat_examples(dset[:8])
    model = h.make_model("mlp")
    opt = optimizers.Adam().setup(model)
    _train_step(model, opt, x, t)  # creates m and v on the CPU
    model.to_device(h.device_spec())
    xd, td = device.send(x), device.send(t)
    _train_step(model, opt, xd, td)
    for name, p in model.namedparams():
        state = p.update_rule.state
        assert set(state) == {"m", "v"}, name
        for k, v in state.items():
            assert h.on_device(v, device), (name, k)

    # the same two steps entirely on the CPU give the same states
    ref = h.make_model("mlp")
    ref_opt = optimizers.Adam().setup(ref)
    _train_step(ref, ref_opt, x, t)
    _train_step(ref, ref_opt, x, t)
    refp = dict(ref.namedparams())
    for name, p in model.namedparams():
        for k in ("m", "v"):
            h.assert_close(p.update_rule.state[k], refp[name].update_rule.state[k],
                           rtol=1e-4, atol=1e-7, what=f"{name}/{k}")


def test_variable_to_device_and_back(device):
    v = kusari.Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    y = F.sum(v * v)
    y.backward()
    v.to_device(h.device_spec())
    assert h.on_device(v.array, device)
    assert h.on_device(v.grad, device)
    assert v.xp is device.xp
    z = F.sum(v * 2)
    assert h.on_device(z.array, device)
    v.to_cpu()
    assert isinstance(v.array, numpy.ndarray) and isinstance(v.grad, numpy.ndarray)


def test_backend_to_device_on_a_bare_array(device):
    # NumPy 2 arrays have an array-API ``to_device`` method: it must not be mistaken
    # for kusari's (Variable / Link) ``to_device``
    a = numpy.arange(4, dtype=numpy.float32)
    d = backend.to_device(h.device_spec(), a)
    assert h.on_device(d, device)
    numpy.testing.assert_array_equal(h.host(d), a)
    v = kusari.Variable(a.copy())
    assert backend.to_device(h.device_spec(), v) is v
    assert h.on_device(v.array, device)


def test_backend_helpers(device):
    a = numpy.arange(4, dtype=numpy.float32)
    d = device.send(a)
    assert h.on_device(d, device)
    assert backend.get_device_from_array(d) == device
    assert backend.get_array_module(d) is device.xp
    assert backend.get_array_module(kusari.Variable(d)) is device.xp
    out = numpy.zeros(4, numpy.float32)
    backend.copyto(out, d)
    numpy.testing.assert_array_equal(out, a)
    dd = device.xp.zeros(4, numpy.float32)
    backend.copyto(dd, a)
    numpy.testing.assert_array_equal(h.host(dd), a)
    nested = device.send({"a": (a, None), "b": [a]})
    assert h.on_device(nested["a"][0], device) and nested["a"][1] is None
    assert h.on_device(nested["b"][0], device)


def test_deepcopy_of_a_device_link(device):
    model = h.make_model("mlp").to_device(h.device_spec())
    clone = copy.deepcopy(model)
    for (n, p), (_, q) in zip(model.namedparams(), clone.namedparams()):
        assert h.on_device(q.array, device), n
        assert q.array is not p.array
        h.assert_close(q.array, p.array, 0, 0, n)
    assert clone.device == device
