"""Optimizer trajectories against hand-written NumPy versions of the published rules."""

import io
import math

import numpy
import pytest

from kusari import Chain, Parameter, optimizers, serializers


def _model(rs, dtype):
    m = Chain()
    with m.init_scope():
        m.a = Parameter(rs.randn(3, 4).astype(dtype))
        m.b = Parameter(rs.randn(5).astype(dtype))
    return m


def _grads(rs, step, shapes, dtype):
    return [(rs.randn(*s) * (1 + step % 3)).astype(dtype) for s in shapes]


# Each reference takes (param, grad, state dict, t) in float64 and returns the new param.
def ref_sgd(p, g, s, t, lr=0.1):
    return p - lr * g


def ref_momentum(p, g, s, t, lr=0.05, mu=0.8):
    s["v"] = mu * s.get("v", 0) - lr * g
    return p + s["v"]


def ref_corrected(p, g, s, t, lr=0.05, mu=0.9):
    s["v"] = mu * s.get("v", 0) - g
    return p + lr * s["v"]


def ref_nesterov(p, g, s, t, lr=0.05, mu=0.9):
    v_prev = s.get("v", 0)
    s["v"] = mu * v_prev - lr * g
    return p + mu * mu * s["v"] - (1 + mu) * lr * g


def ref_adagrad(p, g, s, t, lr=0.1, eps=1e-8):
    s["h"] = s.get("h", 0) + g * g
    return p - lr * g / (numpy.sqrt(s["h"]) + eps)


def ref_adadelta(p, g, s, t, rho=0.95, eps=1e-6):
    s["msg"] = rho * s.get("msg", 0) + (1 - rho) * g * g
    dx = numpy.sqrt((s.get("msdx", 0) + eps) / (s["msg"] + eps)) * g
    s["msdx"] = rho * s.get("msdx", 0) + (1 - rho) * dx * dx
    return p - dx


def ref_rmsprop(p, g, s, t, lr=0.01, alpha=0.99, eps=1e-8, inside=False):
    s["ms"] = alpha * s.get("ms", 0) + (1 - alpha) * g * g
    denom = numpy.sqrt(s["ms"] + eps) if inside else numpy.sqrt(s["ms"]) + eps
    return p - lr * g / denom


def ref_graves(p, g, s, t, lr=0.01, alpha=0.95, mu=0.9, eps=1e-4):
    s["n"] = alpha * s.get("n", 0) + (1 - alpha) * g * g
    s["g"] = alpha * s.get("g", 0) + (1 - alpha) * g
    s["delta"] = mu * s.get("delta", 0) - lr * g / numpy.sqrt(s["n"] - s["g"] ** 2 + eps)
    return p + s["delta"]


def ref_adam(p, g, s, t, alpha=0.01, b1=0.9, b2=0.999, eps=1e-8, eta=1.0, wd=0.0,
             amsgrad=False, adabound=False, final_lr=0.1, gamma=1e-3):
    s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
    s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
    v = s["v"]
    if amsgrad:
        s["vhat"] = numpy.maximum(s.get("vhat", 0), v)
        v = s["vhat"]
    alpha_t = alpha * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    step = alpha_t / (numpy.sqrt(v) + eps)
    if adabound:
        step = numpy.clip(step, final_lr * (1 - 1 / (gamma * t + 1)),
                          final_lr * (1 + 1 / (gamma * t)))
    return p - eta * (step * s["m"] + wd * p)


def ref_smorms3(p, g, s, t, lr=0.01, eps=1e-16):
    mem = s.get("mem", numpy.ones_like(p))
    r = 1 / (mem + 1)
    s["g"] = (1 - r) * s.get("g", 0) + r * g
    s["g2"] = (1 - r) * s.get("g2", 0) + r * g * g
    x = s["g"] ** 2 / (s["g2"] + eps)
    s["mem"] = 1 + mem * (1 - x)
    return p - g * numpy.minimum(x, lr) / (numpy.sqrt(s["g2"]) + eps)


def ref_msvag(p, g, s, t, lr=0.1, beta=0.9, eta=1.0, wd=0.0):
    s["m"] = beta * s.get("m", 0) + (1 - beta) * g
    s["v"] = beta * s.get("v", 0) + (1 - beta) * g * g
    bp = beta ** t
    mt, vt = s["m"] / (1 - bp), s["v"] / (1 - bp)
    rho = min((1 - beta) ** 2 * (1 - bp ** 2) / ((1 - bp) ** 2 * (1 - beta ** 2)), 0.9999)
    var = (vt - mt ** 2) / (1 - rho)
    with numpy.errstate(invalid="ignore", divide="ignore"):
        factor = numpy.nan_to_num(numpy.clip(mt ** 2 / (mt ** 2 + rho * var), 0, 1))
    return p - eta * (lr * mt * factor + wd * p)


CASES = [
    (lambda: optimizers.SGD(lr=0.1), ref_sgd),
    (lambda: optimizers.MomentumSGD(lr=0.05, momentum=0.8), ref_momentum),
    (lambda: optimizers.CorrectedMomentumSGD(lr=0.05), ref_corrected),
    (lambda: optimizers.NesterovAG(lr=0.05), ref_nesterov),
    (lambda: optimizers.AdaGrad(lr=0.1), ref_adagrad),
    (lambda: optimizers.AdaDelta(), ref_adadelta),
    (lambda: optimizers.RMSprop(lr=0.01), ref_rmsprop),
    (lambda: optimizers.RMSprop(lr=0.01, eps=1e-4, eps_inside_sqrt=True),
     lambda *a: ref_rmsprop(*a, eps=1e-4, inside=True)),
    (lambda: optimizers.RMSpropGraves(lr=0.01), ref_graves),
    (lambda: optimizers.Adam(alpha=0.01), ref_adam),
    (lambda: optimizers.Adam(alpha=0.01, eta=0.5, weight_decay_rate=0.1),
     lambda *a: ref_adam(*a, eta=0.5, wd=0.1)),
    (lambda: optimizers.AdamW(alpha=0.01, weight_decay_rate=0.1),
     lambda *a: ref_adam(*a, wd=0.1)),
    (lambda: optimizers.AMSGrad(alpha=0.01), lambda *a: ref_adam(*a, amsgrad=True)),
    (lambda: optimizers.AdaBound(alpha=0.01, final_lr=0.05),
     lambda *a: ref_adam(*a, adabound=True, final_lr=0.05)),
    (lambda: optimizers.AMSBound(alpha=0.01, gamma=0.1),
     lambda *a: ref_adam(*a, amsgrad=True, adabound=True, gamma=0.1)),
    (lambda: optimizers.SMORMS3(lr=0.01), ref_smorms3),
    (lambda: optimizers.MSVAG(lr=0.1), ref_msvag),
    (lambda: optimizers.MSVAG(lr=0.1, weight_decay_rate=0.01),
     lambda *a: ref_msvag(*a, wd=0.01)),
]


@pytest.mark.parametrize("make,ref", CASES)
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_trajectory_matches_numpy_reference(make, ref, dtype):
    rs = numpy.random.RandomState(0)
    model = _model(rs, dtype)
    opt = make().setup(model)
    params = [model.a, model.b]
    expect = [p.array.astype(numpy.float64) for p in params]
    states = [{}, {}]
    for step in range(6):
        grads = _grads(rs, step, [p.shape for p in params], dtype)
        for p, g in zip(params, grads):
            p.grad = g.copy()
        opt.update()
        expect = [ref(e, g.astype(numpy.float64), s, step + 1)
                  for e, g, s in zip(expect, grads, states)]
        for p, e in zip(params, expect):
            assert p.dtype == dtype
            tol = 1e-4 if dtype == numpy.float32 else 1e-10
            numpy.testing.assert_allclose(p.array, e, rtol=tol, atol=tol)
    assert opt.t == 6 and model.a.update_rule.t == 6


@pytest.mark.parametrize("make", [c[0] for c in CASES])
def test_save_load_resume_continues_exactly(make, tmp_path):
    def run(steps, model, opt, rs):
        for _ in range(steps):
            for p in (model.a, model.b):
                p.grad = rs.randn(*p.shape).astype(numpy.float32)
            opt.update()

    rs = numpy.random.RandomState(1)
    m1 = _model(numpy.random.RandomState(2), numpy.float32)
    o1 = make().setup(m1)
    run(7, m1, o1, rs)  # uninterrupted: 7 steps

    rs = numpy.random.RandomState(1)
    m2 = _model(numpy.random.RandomState(2), numpy.float32)
    o2 = make().setup(m2)
    run(3, m2, o2, rs)
    serializers.save_npz(tmp_path / "model.npz", m2)
    serializers.save_npz(tmp_path / "opt.npz", o2)
    m3 = _model(numpy.random.RandomState(5), numpy.float32)
    o3 = make().setup(m3)
    serializers.load_npz(tmp_path / "model.npz", m3)
    serializers.load_npz(tmp_path / "opt.npz", o3)
    assert o3.t == 3 and m3.a.update_rule.t == 3
    run(4, m3, o3, rs)
    for name in ("a", "b"):
        numpy.testing.assert_array_equal(getattr(m3, name).array, getattr(m1, name).array)
        s1 = getattr(m1, name).update_rule.state
        s3 = getattr(m3, name).update_rule.state
        assert sorted(s1) == sorted(s3)
        for k in s1:
            numpy.testing.assert_array_equal(s1[k], s3[k])


STATE_KEYS = {
    "SGD": [], "MomentumSGD": ["v"], "CorrectedMomentumSGD": ["v"], "NesterovAG": ["v"],
    "AdaGrad": ["h"], "AdaDelta": ["msdx", "msg"], "RMSprop": ["ms"],
    "RMSpropGraves": ["delta", "g", "n"], "Adam": ["m", "v"], "AdamW": ["m", "v"],
    "AMSGrad": ["m", "v", "vhat"], "AdaBound": ["m", "v"], "AMSBound": ["m", "v", "vhat"],
    "SMORMS3": ["g", "g2", "mem"], "MSVAG": ["m", "v"],
}


@pytest.mark.parametrize("name", sorted(STATE_KEYS))
def test_serialized_keys_are_chainers(name):
    model = _model(numpy.random.RandomState(0), numpy.float32)
    opt = getattr(optimizers, name)().setup(model)
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    s = serializers.DictionarySerializer()
    s.save(opt)
    expect = {"t", "epoch"}
    for p in ("a", "b"):
        expect |= {f"{p}/t"} | {f"{p}/{k}" for k in STATE_KEYS[name]}
    assert set(s.target) == expect


def test_hyperparameters_shared_and_per_parameter():
    model = _model(numpy.random.RandomState(0), numpy.float64)
    opt = optimizers.MomentumSGD(lr=0.1).setup(model)
    assert model.a.update_rule.hyperparam.lr == 0.1
    opt.lr = 0.2  # seen by every rule
    assert model.a.update_rule.hyperparam.lr == 0.2
    model.b.update_rule.hyperparam.lr = 0.0  # overrides one parameter
    b0 = model.b.array.copy()
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    a0 = model.a.array.copy()
    opt.update()
    numpy.testing.assert_array_equal(model.b.array, b0)
    numpy.testing.assert_allclose(model.a.array, a0 - 0.2)
    assert opt.lr == 0.2


def test_disable_update():
    model = _model(numpy.random.RandomState(0), numpy.float32)
    opt = optimizers.Adam().setup(model)
    model.disable_update()
    a0 = model.a.array.copy()
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    numpy.testing.assert_array_equal(model.a.array, a0)
    assert model.a.update_rule.t == 0
    model.enable_update()
    opt.update()
    assert not numpy.array_equal(model.a.array, a0)


def test_gradient_none_is_skipped_and_lazy_param():
    model = _model(numpy.random.RandomState(0), numpy.float32)
    with model.init_scope():
        model.c = Parameter()  # uninitialized
    opt = optimizers.MomentumSGD().setup(model)
    model.a.grad = numpy.ones_like(model.a.array)
    b0 = model.b.array.copy()
    model.b.grad = None
    opt.update()
    numpy.testing.assert_array_equal(model.b.array, b0)


def test_adam_lr_and_alpha_t():
    model = _model(numpy.random.RandomState(0), numpy.float32)
    opt = optimizers.Adam(alpha=0.01).setup(model)
    with pytest.raises(RuntimeError):
        _ = opt.alpha_t
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    expect = 0.01 * math.sqrt(1 - 0.999) / (1 - 0.9)
    assert opt.alpha_t == pytest.approx(expect)
    assert model.a.update_rule.alpha_t == pytest.approx(expect)
    with pytest.warns(DeprecationWarning):
        assert opt.lr == pytest.approx(expect)


def test_rmsprop_eps_too_small_for_float16():
    p = Parameter(numpy.ones(3, numpy.float16))
    model = Chain()
    with model.init_scope():
        model.p = p
    opt = optimizers.RMSprop(eps=1e-10).setup(model)
    p.grad = numpy.ones(3, numpy.float16)
    with pytest.raises(ValueError, match="too small"):
        opt.update()


@pytest.mark.parametrize("name", ["SGD", "MomentumSGD", "Adam", "AdaGrad", "RMSprop"])
def test_float16_with_fp32_update(name):
    rs = numpy.random.RandomState(0)
    m16 = _model(rs, numpy.float16)
    m32 = Chain()
    with m32.init_scope():
        m32.a = Parameter(m16.a.array.astype(numpy.float32))
        m32.b = Parameter(m16.b.array.astype(numpy.float32))
    o16 = getattr(optimizers, name)().setup(m16)
    o16.use_fp32_update()
    o32 = getattr(optimizers, name)().setup(m32)
    for _ in range(5):
        for p16, p32 in zip(m16.params(), m32.params()):
            g = rs.randn(*p16.shape).astype(numpy.float16)
            p16.grad, p32.grad = g, g.astype(numpy.float32)
        o16.update()
        o32.update()
    for p16, p32 in zip(m16.params(), m32.params()):
        assert p16.dtype == numpy.float16
        numpy.testing.assert_allclose(p16.array, p32.array.astype(numpy.float16), rtol=1e-3,
                                      atol=1e-3)


def test_adam_float16_without_fp32_update():
    p = Parameter(numpy.ones(4, numpy.float16))
    model = Chain()
    with model.init_scope():
        model.p = p
    opt = optimizers.Adam(alpha=0.1).setup(model)
    p.grad = numpy.full(4, 0.5, numpy.float16)
    opt.update()
    assert p.dtype == numpy.float16
    numpy.testing.assert_allclose(p.array, 1 - 0.1, rtol=1e-3)


@pytest.mark.parametrize("bad", [
    lambda: optimizers.SGD(lr=-1), lambda: optimizers.MomentumSGD(momentum=-0.1),
    lambda: optimizers.Adam(beta1=1.0), lambda: optimizers.Adam(eps=-1),
    lambda: optimizers.RMSprop(alpha=1.5), lambda: optimizers.AdaDelta(rho=-0.1),
])
def test_invalid_hyperparameters(bad):
    with pytest.raises(ValueError):
        bad()


def test_update_with_lossfun():
    from kusari import functions as F

    model = _model(numpy.random.RandomState(0), numpy.float32)
    opt = optimizers.SGD(lr=0.5).setup(model)
    a0 = model.a.array.copy()
    opt.update(lambda: F.sum(model.a * model.a))
    numpy.testing.assert_allclose(model.a.array, a0 - 0.5 * 2 * a0, rtol=1e-6)


def test_optimizer_serialization_roundtrip_in_memory():
    model = _model(numpy.random.RandomState(0), numpy.float32)
    opt = optimizers.Adam().setup(model)
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    buf = io.BytesIO()
    serializers.save_npz(buf, opt)
    buf.seek(0)
    opt2 = optimizers.Adam().setup(_model(numpy.random.RandomState(0), numpy.float32))
    serializers.load_npz(buf, opt2)
    numpy.testing.assert_array_equal(opt2.target.a.update_rule.state["m"],
                                     model.a.update_rule.state["m"])


@pytest.mark.parametrize("make,ref", [CASES[0], CASES[1], CASES[4], CASES[6], CASES[9],
                                      CASES[12], CASES[13]])
def test_large_parameters_updated_blockwise(make, ref):
    # larger than one block of the CPU loops (and with a ragged last block)
    rs = numpy.random.RandomState(0)
    m = Chain()
    with m.init_scope():
        m.p = Parameter(rs.randn(301, 300).astype(numpy.float32))
    opt = make().setup(m)
    expect, state = m.p.array.astype(numpy.float64), {}
    for step in range(3):
        g = rs.randn(301, 300).astype(numpy.float32)
        m.p.grad = g.copy()
        opt.update()
        expect = ref(expect, g.astype(numpy.float64), state, step + 1)
    numpy.testing.assert_allclose(m.p.array, expect, rtol=1e-4, atol=1e-4)
