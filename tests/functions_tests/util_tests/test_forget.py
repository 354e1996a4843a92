"""forget: same values and gradients as a plain call, no intermediates kept, errors."""

import gc
import weakref

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import testing
from kusari.configuration import config
from kusari.functions.util import forget


def _f(a, b):
    return F.tanh(a * b + a)


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestForget(testing.FunctionTestCase):
    # Chainer's forget refuses double backprop
    skip_double_backward_test = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, (3, 4)).astype(self.dtype) for _ in range(2))

    def forward(self, inputs, device):
        return (forget(_f, *inputs),)

    def forward_expected(self, inputs):
        a, b = (x.astype(numpy.float64) for x in inputs)
        return (numpy.tanh(a * b + a).astype(self.dtype),)


def test_forget_gradients_equal_plain_call_with_tuple_outputs():
    def f(a, b):
        h = a * b
        return h + a, F.exp(h)

    a0, b0 = numpy.random.uniform(-1, 1, (2, 3)), numpy.random.uniform(-1, 1, (2, 3))
    grads = []
    for use_forget in (False, True):
        a, b = kusari.Variable(a0), kusari.Variable(b0)
        ys = forget(f, a, b) if use_forget else f(a, b)
        assert isinstance(ys, tuple) and len(ys) == 2
        F.sum(ys[0] * 2 + ys[1]).backward()
        grads.append((a.grad, b.grad))
    for g_plain, g_forget in zip(*grads):
        numpy.testing.assert_allclose(g_forget, g_plain, rtol=1e-12)


def test_forget_keeps_no_intermediate():
    refs = []

    def f(a):
        h = a * 2
        refs.append(weakref.ref(h))
        return F.sum(h * h)

    x = kusari.Variable(numpy.ones((100,)))
    y = forget(f, x)
    gc.collect()
    assert refs[0]() is None  # nothing holds the first call's intermediate
    assert y.creator.label == "Forget"
    y.backward()
    numpy.testing.assert_allclose(x.grad, numpy.full(100, 8.0))
    assert len(refs) == 2  # recomputed once, in backward


def test_forget_flags_and_array_inputs():
    seen = []

    def f(a):
        seen.append((config.enable_backprop, config._will_recompute, config.in_recomputing))
        return a * a

    y = forget(f, numpy.array([3.0]))  # arrays become Variables that require grad
    y.backward()
    assert seen == [(False, True, False), (True, False, True)]


def test_forget_accumulates_link_parameter_gradients():
    numpy.random.seed(0)
    link = L.Linear(3, 2)
    x = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    link.cleargrads()
    F.sum(link(x) ** 2).backward()
    expected = link.W.grad.copy(), link.b.grad.copy()
    link.cleargrads()
    F.sum(forget(link, x) ** 2).backward()
    numpy.testing.assert_allclose(link.W.grad, expected[0], rtol=1e-6)
    numpy.testing.assert_allclose(link.b.grad, expected[1], rtol=1e-6)


def test_forget_identity_and_unused_output():
    x = kusari.Variable(numpy.array([1.0, 2.0]))
    y = forget(lambda a: a, x)
    y.grad = numpy.array([3.0, 4.0])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [3.0, 4.0])
    x.cleargrad()
    y1, _ = forget(lambda a: (a * 2, a * 3), x)
    y1.grad = numpy.ones(2)
    y1.backward()
    numpy.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_forget_rejects_double_backprop():
    x = kusari.Variable(numpy.array([1.0, 2.0]))
    y = forget(lambda a: a * a, x)
    with pytest.raises(RuntimeError, match="double backpropagation in functions.forget"):
        kusari.grad([F.sum(y)], [x], enable_double_backprop=True)


def test_forget_errors():
    x = kusari.Variable(numpy.zeros(2))
    with pytest.raises(TypeError, match="func must be callable"):
        forget(3, x)
    with pytest.raises(RuntimeError, match="A tuple of Variables or a Variable are expected"):
        forget(lambda a: 1, x)
    with pytest.raises(RuntimeError, match="2nd element of a returned tuple is not Variable"):
        forget(lambda a: (a, 1), x)
