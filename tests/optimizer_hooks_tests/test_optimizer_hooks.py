import numpy
import pytest

from kusari import Chain, Parameter, optimizer_hooks, optimizers


def _setup(lr=1.0, opt_cls=optimizers.SGD):
    rs = numpy.random.RandomState(0)
    m = Chain()
    with m.init_scope():
        m.a = Parameter(rs.randn(3, 4))
        m.b = Parameter(rs.randn(5))
    opt = opt_cls(lr=lr).setup(m)
    grads = {"a": rs.randn(3, 4), "b": rs.randn(5)}
    for k, g in grads.items():
        getattr(m, k).grad = g.copy()
    return m, opt, grads


def _params(m):
    return {"a": m.a.array.copy(), "b": m.b.array.copy()}


def test_weight_decay():
    m, opt, g = _setup(0.1)
    p0 = _params(m)
    opt.add_hook(optimizer_hooks.WeightDecay(0.01))
    opt.update()
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array, p0[k] - 0.1 * (g[k] + 0.01 * p0[k]))


def test_lasso():
    m, opt, g = _setup(0.1)
    p0 = _params(m)
    opt.add_hook(optimizer_hooks.Lasso(0.01))
    opt.update()
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array,
                                      p0[k] - 0.1 * (g[k] + 0.01 * numpy.sign(p0[k])))


@pytest.mark.parametrize("threshold", [0.5, 100.0])
def test_gradient_clipping(threshold):
    m, opt, g = _setup(1.0)
    p0 = _params(m)
    opt.add_hook(optimizer_hooks.GradientClipping(threshold))
    opt.update()
    norm = numpy.sqrt(sum((v ** 2).sum() for v in g.values()))
    rate = min(1.0, threshold / norm)
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array, p0[k] - rate * g[k])


def test_gradient_hard_clipping():
    m, opt, g = _setup(1.0)
    p0 = _params(m)
    opt.add_hook(optimizer_hooks.GradientHardClipping(-0.2, 0.3))
    opt.update()
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array, p0[k] - numpy.clip(g[k], -0.2, 0.3))


def test_gradient_lars():
    m, opt, g = _setup(1.0)
    p0 = _params(m)
    opt.add_hook(optimizer_hooks.GradientLARS(threshold=0.1, weight_decay=0.01))
    opt.update()
    for k in g:
        pn, gn = numpy.linalg.norm(p0[k]), numpy.linalg.norm(g[k])
        rate = pn / (1e-9 + gn + 0.01 * pn)
        numpy.testing.assert_allclose(getattr(m, k).array, p0[k] - (g[k] + 0.01 * p0[k]) * rate)


def test_gradient_noise_uses_noise_func():
    m, opt, g = _setup(1.0)
    p0 = _params(m)
    calls = []

    def noise(xp, shape, dtype, hook, rule):
        calls.append((shape, hook.eta, rule.t))
        return xp.full(shape, 0.5, dtype)

    opt.add_hook(optimizer_hooks.GradientNoise(0.3, noise_func=noise))
    opt.update()
    assert calls == [((3, 4), 0.3, 0), ((5,), 0.3, 0)]
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array, p0[k] - (g[k] + 0.5))


def test_default_gradient_noise_statistics():
    numpy.random.seed(0)
    noise = optimizer_hooks.exponential_decay_noise(
        numpy, (20000,), numpy.float64, optimizer_hooks.GradientNoise(0.3),
        type("R", (), {"t": 3})())
    assert noise.std() == pytest.approx(numpy.sqrt(0.3 / 4 ** 0.55), rel=0.03)


def test_post_timing_runs_after_update():
    m, opt, g = _setup(0.1)
    p0 = _params(m)
    hook = optimizer_hooks.WeightDecay(0.5)
    hook.timing = "post"
    opt.add_hook(hook)
    opt.update()
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array, p0[k] - 0.1 * g[k])
        # the post hook changed the gradient after the update
        numpy.testing.assert_allclose(getattr(m, k).grad,
                                      g[k] + 0.5 * getattr(m, k).array)


def test_hooks_run_in_registration_order():
    m, opt, g = _setup(1.0)
    p0 = _params(m)
    opt.add_hook(optimizer_hooks.GradientHardClipping(-0.1, 0.1))
    opt.add_hook(optimizer_hooks.WeightDecay(1.0))
    opt.update()
    for k in g:
        numpy.testing.assert_allclose(getattr(m, k).array,
                                      p0[k] - (numpy.clip(g[k], -0.1, 0.1) + p0[k]))


def test_hook_on_one_update_rule():
    m, opt, g = _setup(1.0)
    p0 = _params(m)
    m.a.update_rule.add_hook(optimizer_hooks.GradientHardClipping(-0.1, 0.1))
    opt.update()
    numpy.testing.assert_allclose(m.a.array, p0["a"] - numpy.clip(g["a"], -0.1, 0.1))
    numpy.testing.assert_allclose(m.b.array, p0["b"] - g["b"])


def test_names_and_duplicate_registration():
    m, opt, g = _setup()
    opt.add_hook(optimizer_hooks.WeightDecay(0.1))
    with pytest.raises(KeyError):
        opt.add_hook(optimizer_hooks.WeightDecay(0.2))
    opt.remove_hook("WeightDecay")
    opt.add_hook(optimizer_hooks.WeightDecay(0.2), name="wd2")
    for cls in (optimizer_hooks.WeightDecay, optimizer_hooks.Lasso,
                optimizer_hooks.GradientHardClipping, optimizer_hooks.GradientNoise,
                optimizer_hooks.GradientLARS):
        assert cls.call_for_each_param is True and cls.timing == "pre"
    assert optimizer_hooks.GradientClipping.timing == "pre"


def test_hooks_skip_missing_gradients():
    m, opt, g = _setup(1.0)
    m.b.grad = None
    for hook in (optimizer_hooks.WeightDecay(0.1), optimizer_hooks.Lasso(0.1),
                 optimizer_hooks.GradientHardClipping(-1, 1), optimizer_hooks.GradientLARS()):
        hook(m.b.update_rule, m.b)
    assert m.b.grad is None
