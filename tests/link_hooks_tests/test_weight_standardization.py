"""WeightStandardization: numerics against NumPy, gradients, lazy weights, restoration."""

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import gradient_check, optimizers
from kusari.link_hooks import WeightStandardization


class Probe(kusari.LinkHook):
    name = "Probe"

    def __init__(self):
        self.seen = []

    def forward_preprocess(self, args):
        self.seen.append(args.link.W)


def ws_reference(W, eps=1e-5):
    """Each slice along axis 0 standardized over the other axes (biased variance)."""
    axes = tuple(range(1, W.ndim))
    mean = W.mean(axis=axes, keepdims=True)
    var = ((W - mean) ** 2).mean(axis=axes, keepdims=True)
    return (W - mean) / numpy.sqrt(var + eps)


LINKS = {
    "linear": (lambda: L.Linear(4, 3), (2, 4)),
    "conv2d": (lambda: L.Convolution2D(2, 5, 3), (2, 2, 4, 4)),
    "deconv2d": (lambda: L.Deconvolution2D(2, 5, 3), (2, 2, 3, 3)),
    "embed": (lambda: L.EmbedID(7, 3), None),
}


def _build(kind, dtype=numpy.float32, seed=0, **hook_kw):
    make, shape = LINKS[kind]
    rs = numpy.random.RandomState(seed)
    with kusari.using_config("dtype", numpy.dtype(dtype)):
        link = make()
    link.W.array[...] = rs.randn(*link.W.shape) * 3 + 1
    probe = Probe()
    link.add_hook(WeightStandardization(**hook_kw)).add_hook(probe)
    x = numpy.array([0, 6, 2], numpy.int32) if shape is None else rs.randn(*shape).astype(dtype)
    return link, probe, x


@pytest.mark.parametrize("kind", sorted(LINKS))
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
@pytest.mark.parametrize("eps", [1e-5, 0.5])
def test_forward_matches_the_numpy_reference(kind, dtype, eps):
    link, probe, x = _build(kind, dtype, eps=eps)
    W = link.W.array.copy()
    y = link(x)
    expected = ws_reference(W.astype(numpy.float64), eps)
    seen = probe.seen[0]
    assert isinstance(seen, kusari.Variable) and not isinstance(seen, kusari.Parameter)
    assert seen.dtype == dtype
    rtol = 1e-5 if dtype == numpy.float32 else 1e-12
    numpy.testing.assert_allclose(seen.array, expected, rtol=rtol, atol=rtol)
    plain = LINKS[kind][0]()
    plain.W.array = expected.astype(dtype)
    if getattr(link, "b", None) is not None:
        plain.b.array = link.b.array.copy()
    numpy.testing.assert_allclose(y.array, plain(x).array, rtol=10 * rtol, atol=10 * rtol)
    assert isinstance(link.W, kusari.Parameter)
    numpy.testing.assert_array_equal(link.W.array, W)


@pytest.mark.parametrize("kind", ["linear", "conv2d", "deconv2d", "embed"])
def test_gradient_check(kind):
    link, probe, x = _build(kind, numpy.float64)
    gy = numpy.random.RandomState(1).randn(*link(x).shape)
    gradient_check.check_backward(link, x, gy, params=list(link.params()),
                                  dtype=numpy.float64, eps=1e-4, atol=1e-7, rtol=1e-6)


def test_the_weight_is_the_parameter_again_and_optimizers_update_it():
    link, probe, x = _build("conv2d")
    W = link.W
    opt = optimizers.SGD(lr=0.1).setup(link)
    for _ in range(2):
        before = W.array.copy()
        opt.update(lambda: F.sum(link(x) ** 2))
        assert link.W is W
        assert list(link.params()) == [W, link.b]
        assert not numpy.array_equal(W.array, before)


def test_lazily_initialized_weights():
    link = L.Convolution2D(None, 4, 3).add_hook(WeightStandardization())
    probe = Probe()
    link.add_hook(probe)
    assert link(numpy.ones((1, 2, 5, 5), numpy.float32)).shape == (1, 4, 3, 3)
    assert link.W.shape == (4, 2, 3, 3)
    numpy.testing.assert_allclose(probe.seen[0].array, ws_reference(link.W.array),
                                  rtol=1e-5, atol=1e-6)
    lin = L.Linear(None, 2).add_hook(WeightStandardization())
    assert lin(numpy.ones((3, 2, 2), numpy.float32)).shape == (3, 2)
    assert lin.W.shape == (2, 4)


def test_a_forward_that_raised_leaves_nothing_behind_at_the_next_call():
    link, probe, x = _build("linear")
    W = link.W
    with pytest.raises(Exception):
        link(numpy.ones((2, 7), numpy.float32))
    link(x)
    assert link.W is W
    numpy.testing.assert_allclose(probe.seen[-1].array, ws_reference(W.array),
                                  rtol=1e-5, atol=1e-6)


def test_misuse_and_options():
    with pytest.raises(ValueError, match="Weight 'V' does not exist"):
        L.Linear(2, 3).add_hook(WeightStandardization(weight_name="V"))
    with pytest.raises(NotImplementedError):
        with WeightStandardization():
            pass
    with pytest.raises(TypeError):
        WeightStandardization(1e-3)  # keyword-only, as in Chainer
    hook = WeightStandardization(name="WS")
    link = L.Linear(2, 3).add_hook(hook)
    assert "WS" in link.local_link_hooks
    link.delete_hook("WS")
    assert [name for name, _ in link.namedparams()] == ["/W", "/b"]
