"""SpectralNormalization: registration, numerics, u updates, gradients, serialization."""

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import gradient_check, optimizers, serializers
from kusari.link_hooks import SpectralNormalization


class Probe(kusari.LinkHook):
    """Records the weight a link sees inside ``forward`` (added after the SN hook)."""

    name = "Probe"

    def __init__(self):
        self.seen = []

    def forward_preprocess(self, args):
        self.seen.append(args.link.W)


def _matrix(W, axis):
    W = numpy.moveaxis(W, axis, 0)
    return W.reshape(W.shape[0], -1)


def sn_reference(W, u, n_power_iteration=1, eps=1e-6, axis=0, factor=None, gamma=None):
    """NumPy spectral normalization: (normalized W, updated u, v, sigma)."""
    Wm = _matrix(W, axis)
    for _ in range(n_power_iteration):
        v = u @ Wm
        v = v / (numpy.linalg.norm(v) + eps)
        u = Wm @ v
        u = u / (numpy.linalg.norm(u) + eps)
    sigma = u @ Wm @ v
    if factor is not None:
        sigma = sigma / factor
    W_bar = W / sigma if gamma is None else gamma * W / sigma
    return W_bar, u, v, sigma


def _top_singular_value(W, axis=0):
    return numpy.linalg.svd(_matrix(numpy.asarray(W), axis), compute_uv=False)[0]


# (constructor, input shape, axis, length of u)
LINKS = {
    "linear": (lambda: L.Linear(4, 3), (2, 4), 0, 3),
    "conv2d": (lambda: L.Convolution2D(2, 5, 3), (2, 2, 4, 4), 0, 5),
    "deconv2d": (lambda: L.Deconvolution2D(2, 5, 3), (2, 2, 3, 3), 1, 5),
    "convnd": (lambda: L.ConvolutionND(1, 2, 5, 3), (2, 2, 6), 0, 5),
    "deconvnd": (lambda: L.DeconvolutionND(1, 2, 5, 3), (2, 2, 4), 1, 5),
    "embed": (lambda: L.EmbedID(7, 3), None, 0, 7),
}


def _input(shape, dtype, rs):
    if shape is None:
        return numpy.array([0, 6, 2, 2], numpy.int32)
    return rs.randn(*shape).astype(dtype)


def _build(kind, dtype=numpy.float32, seed=0, **hook_kw):
    """A link of ``kind`` with random weights and SN (and a Probe after it)."""
    make, shape, _, _ = LINKS[kind]
    rs = numpy.random.RandomState(seed)
    with kusari.using_config("dtype", numpy.dtype(dtype)):
        link = make()
    link.W.array[...] = rs.randn(*link.W.shape)
    hook = SpectralNormalization(**hook_kw)
    probe = Probe()
    link.add_hook(hook).add_hook(probe)
    link.W_u[...] = rs.randn(*link.W_u.shape)
    return link, hook, probe, _input(shape, dtype, rs)


@pytest.mark.parametrize("kind", sorted(LINKS))
def test_added_registers_u_as_chainer_does(kind):
    make, _, axis, n = LINKS[kind]
    link = make()
    hook = SpectralNormalization()
    assert link.add_hook(hook) is link
    assert hook.vector_name == "W_u"
    assert hook.axis == axis
    assert link.W_u.shape == (n,)
    assert link.W_u.dtype == link.W.dtype
    assert "W_u" in link._persistent
    assert [name for name, _ in link.namedparams()] == [name for name, _ in make().namedparams()]
    assert not hasattr(link, "gamma")


def test_u_is_drawn_from_the_global_numpy_generator():
    link = L.Linear(4, 3)
    numpy.random.seed(3)
    link.add_hook(SpectralNormalization())
    expected = numpy.random.RandomState(3).normal(size=(3,)).astype(numpy.float32)
    numpy.testing.assert_array_equal(link.W_u, expected)


@pytest.mark.parametrize("kind", sorted(LINKS))
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
@pytest.mark.parametrize("hook_kw", [{}, {"n_power_iteration": 3, "factor": 2.0},
                                     {"eps": 1e-12}])
def test_forward_matches_the_numpy_reference(kind, dtype, hook_kw):
    link, hook, probe, x = _build(kind, dtype, **hook_kw)
    W, u0 = link.W.array.copy(), link.W_u.copy()
    ref = sn_reference(W, u0, axis=hook.axis, **hook_kw)
    y = link(x)
    rtol = 1e-5 if dtype == numpy.float32 else 1e-12
    seen = probe.seen[0]
    assert isinstance(seen, kusari.Variable) and not isinstance(seen, kusari.Parameter)
    assert seen.dtype == dtype
    numpy.testing.assert_allclose(seen.array, ref[0], rtol=rtol)
    numpy.testing.assert_allclose(link.W_u, ref[1], rtol=rtol)  # updated in training mode
    # the output is the plain link's with the normalized weight
    plain = LINKS[kind][0]()
    plain.W.array = ref[0].astype(dtype)
    if getattr(link, "b", None) is not None:
        plain.b.array = link.b.array.copy()
    numpy.testing.assert_allclose(y.array, plain(x).array, rtol=10 * rtol, atol=10 * rtol)
    # the link holds its Parameter again, untouched
    assert isinstance(link.W, kusari.Parameter)
    numpy.testing.assert_array_equal(link.W.array, W)


def test_largest_singular_value_converges_to_one():
    link, hook, probe, x = _build("linear", numpy.float64, seed=1)
    for _ in range(30):
        link(x)
    errors = [abs(_top_singular_value(w.array) - 1) for w in probe.seen]
    # power iteration underestimates sigma: the normalized weight's norm is at least 1
    assert all(_top_singular_value(w.array) > 1 - 1e-9 for w in probe.seen)
    assert errors[0] > 1e-3
    assert errors[-1] < 1e-6
    assert errors[-1] < errors[10] < errors[0]


@pytest.mark.parametrize("kind", ["conv2d", "deconv2d", "convnd", "deconvnd", "embed"])
def test_many_iterations_give_a_spectral_norm_of_one_along_the_output_axis(kind):
    link, hook, probe, x = _build(kind, numpy.float64, n_power_iteration=100, eps=1e-12)
    link(x)
    assert _top_singular_value(probe.seen[0].array, hook.axis) == pytest.approx(1, abs=1e-9)


def test_factor_scales_the_spectral_norm():
    link, hook, probe, x = _build("linear", numpy.float64, n_power_iteration=100, factor=3.0,
                                   eps=1e-12)
    link(x)
    assert _top_singular_value(probe.seen[0].array) == pytest.approx(3, abs=1e-9)


def test_u_is_updated_in_place_in_training_mode_only():
    link, hook, probe, x = _build("linear")
    u = link.W_u
    u0 = u.copy()
    with kusari.using_config("train", False):
        link(x)
        link(x)
    assert link.W_u is u
    numpy.testing.assert_array_equal(u, u0)
    numpy.testing.assert_allclose(probe.seen[1].array,
                                  sn_reference(link.W.array, u0)[0], rtol=1e-6)
    link(x)
    assert link.W_u is u
    assert not numpy.array_equal(u, u0)
    numpy.testing.assert_allclose(u, sn_reference(link.W.array, u0)[1], rtol=1e-6)


def test_the_weight_is_the_parameter_again_and_optimizers_update_it():
    link, hook, probe, x = _build("linear")
    W, b = link.W, link.b
    assert list(link.params()) == [W, b]  # caches the parameter tuple
    opt = optimizers.SGD(lr=0.1).setup(link)
    for _ in range(3):
        before = W.array.copy()
        opt.update(lambda: F.sum(link(x) ** 2))
        assert link.W is W
        assert all(isinstance(p, kusari.Parameter) for p in link.params())
        assert [p for p in link.params()] == [W, b]
        assert W.grad is not None and numpy.abs(W.grad).sum() > 0
        assert not numpy.array_equal(W.array, before)


def test_gradient_treats_u_and_v_as_constants():
    link, hook, probe, x = _build("linear", numpy.float64)
    x = kusari.Variable(x)
    W, u0 = link.W.array.copy(), link.W_u.copy()
    W_bar, u, v, sigma = sn_reference(W, u0)
    y = link(x)
    gy = numpy.random.RandomState(5).randn(*y.shape)
    y.grad = gy
    y.backward()
    G = gy.T @ x.array  # the gradient of the normalized weight
    expected = G / sigma - (G * W).sum() / sigma ** 2 * numpy.outer(u, v)
    numpy.testing.assert_allclose(link.W.grad, expected, rtol=1e-10)
    numpy.testing.assert_allclose(x.grad, gy @ W_bar, rtol=1e-10)
    numpy.testing.assert_allclose(link.b.grad, gy.sum(axis=0), rtol=1e-10)


@pytest.mark.parametrize("kind", ["linear", "conv2d", "deconv2d", "embed"])
@pytest.mark.parametrize("hook_kw", [{}, {"use_gamma": True}, {"factor": 0.5}])
def test_gradient_check(kind, hook_kw):
    # at the singular vectors, treating u and v as constants is the exact derivative
    link, hook, probe, x = _build(kind, numpy.float64, **hook_kw)
    U, _, _ = numpy.linalg.svd(_matrix(link.W.array, hook.axis))
    link.W_u[...] = U[:, 0]
    params = [p for p in link.params()]
    assert any(p is link.W for p in params)
    assert hook_kw.get("use_gamma", False) == any(p is getattr(link, "gamma", None)
                                                   for p in params)
    y_shape = link(x).shape
    gy = numpy.random.RandomState(1).randn(*y_shape)
    with kusari.using_config("train", False):
        gradient_check.check_backward(link, x, gy, params=params, dtype=numpy.float64,
                                      eps=1e-4, atol=1e-7, rtol=1e-6)


def test_use_gamma_registers_a_trainable_scale():
    link, hook, probe, x = _build("linear", numpy.float64, use_gamma=True)
    gamma = link.gamma
    assert isinstance(gamma, kusari.Parameter)
    assert gamma.shape == ()
    assert gamma.array == pytest.approx(_top_singular_value(link.W.array), rel=1e-12)
    assert [name for name, _ in link.namedparams()] == ["/W", "/b", "/gamma"]
    gamma.array = numpy.asarray(2.5)
    u0 = link.W_u.copy()
    y = link(x)
    numpy.testing.assert_allclose(probe.seen[0].array,
                                  sn_reference(link.W.array, u0, gamma=2.5)[0], rtol=1e-12)
    F.sum(y).backward()
    assert gamma.grad is not None and gamma.grad.shape == ()


def test_use_gamma_on_an_initialized_weight_needs_no_forward():
    link = L.Convolution2D(2, 3, 2).add_hook(SpectralNormalization(use_gamma=True))
    assert link.gamma.dtype == numpy.float32
    assert float(link.gamma.array) == pytest.approx(_top_singular_value(link.W.array),
                                                    rel=1e-5)


@pytest.mark.parametrize("use_gamma", [False, True])
def test_serialization_round_trip(tmp_path, use_gamma):
    link, hook, probe, x = _build("conv2d", use_gamma=use_gamma)
    for _ in range(3):
        link(x)
    path = tmp_path / "sn.npz"
    serializers.save_npz(path, link)
    with numpy.load(path) as f:
        keys = sorted(f.files)
        numpy.testing.assert_array_equal(f["W_u"], link.W_u)
    assert keys == sorted(["W", "b", "W_u"] + (["gamma"] if use_gamma else []))
    other = L.Convolution2D(2, 5, 3).add_hook(SpectralNormalization(use_gamma=use_gamma))
    u = other.W_u
    assert not numpy.array_equal(u, link.W_u)
    serializers.load_npz(path, other)
    numpy.testing.assert_array_equal(other.W_u, link.W_u)
    assert other.W_u.dtype == numpy.float32
    if use_gamma:
        numpy.testing.assert_array_equal(other.gamma.array, link.gamma.array)
    with kusari.using_config("train", False):
        numpy.testing.assert_array_equal(other(x).array, link(x).array)


def test_deleted_removes_what_added_registered():
    link, hook, probe, x = _build("linear", use_gamma=True)
    link.delete_hook("Probe")
    link.delete_hook("SpectralNormalization")
    assert not hasattr(link, "W_u") and not hasattr(link, "gamma")
    assert "W_u" not in link._persistent
    assert [name for name, _ in link.namedparams()] == ["/W", "/b"]
    # the link is plain again
    numpy.testing.assert_allclose(link(x).array, x @ link.W.array.T + link.b.array, rtol=1e-6)
    # and the hook can be added again
    link.add_hook(hook)
    assert link.W_u.shape == (3,) and link.gamma.shape == ()


def test_lazily_initialized_weights_get_u_at_the_first_call():
    link = L.Linear(None, 3)
    hook = SpectralNormalization(use_gamma=True)
    link.add_hook(hook)
    assert not hasattr(link, "W_u") and not hasattr(link, "gamma")
    link(numpy.ones((2, 5), numpy.float32))
    assert link.W.shape == (3, 5)
    assert link.W_u.shape == (3,) and "W_u" in link._persistent
    assert float(link.gamma.array) > 0
    # deleting the hook before any call has nothing to remove
    lazy = L.Convolution2D(None, 4, 3).add_hook(SpectralNormalization())
    lazy.delete_hook("SpectralNormalization")
    lazy = L.Convolution2D(None, 4, 3).add_hook(SpectralNormalization())
    assert lazy(numpy.ones((1, 2, 5, 5), numpy.float32)).shape == (1, 4, 3, 3)
    assert lazy.W.shape == (4, 2, 3, 3) and lazy.W_u.shape == (4,)


@pytest.mark.parametrize("n_batch_axes, in_size", [(1, 6), (2, 3)])
def test_lazy_linear_flattens_the_input_as_linear_does(n_batch_axes, in_size):
    link = L.Linear(None, 4).add_hook(SpectralNormalization())
    y = link(numpy.ones((2, 2, 3), numpy.float32), n_batch_axes=n_batch_axes)
    assert link.W.shape == (4, in_size)
    assert y.shape == (2, 4) if n_batch_axes == 1 else (2, 2, 4)


def test_forget_recomputes_with_the_same_vectors():
    a, _, _, x = _build("linear", numpy.float64)
    b, _, _, _ = _build("linear", numpy.float64)
    gy = numpy.random.RandomState(2).randn(2, 3)
    ya = a(x)
    yb = F.forget(b, kusari.Variable(x))
    numpy.testing.assert_array_equal(ya.array, yb.array)
    ya.grad = gy
    yb.grad = gy
    ya.backward()
    yb.backward()
    numpy.testing.assert_allclose(b.W.grad, a.W.grad, rtol=1e-12)
    numpy.testing.assert_array_equal(b.W_u, a.W_u)  # updated once, not at recomputation


def test_a_forward_that_raised_leaves_nothing_behind_at_the_next_call():
    link, hook, probe, x = _build("linear")
    W = link.W
    with pytest.raises(Exception):
        link(numpy.ones((2, 7), numpy.float32))  # wrong input size
    y = link(x)
    assert link.W is W
    assert probe.seen[-1].creator is not None  # normalized from W, not from a normalized W
    assert y.shape == (2, 3)


def test_misuse_is_reported():
    with pytest.raises(ValueError, match="Weight 'V' does not exist"):
        L.Linear(2, 3).add_hook(SpectralNormalization(weight_name="V"))
    with pytest.raises(NotImplementedError):
        with SpectralNormalization():
            pass
    with pytest.raises(AssertionError):
        SpectralNormalization(n_power_iteration=0)


def test_name_and_weight_name():
    class Two(kusari.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.V = kusari.Parameter(numpy.random.randn(3, 2).astype(numpy.float32))

        def forward(self, x):
            return F.matmul(x, self.V, transb=True)

    link = Two()
    hook = SpectralNormalization(weight_name="V", name="SN_V", n_power_iteration=50)
    link.add_hook(hook)
    assert "SN_V" in link.local_link_hooks and hook.vector_name == "V_u"
    y = link(numpy.eye(2, dtype=numpy.float32))
    assert _top_singular_value(y.array) == pytest.approx(1, abs=1e-5)
    link.delete_hook("SN_V")
    assert not hasattr(link, "V_u")
