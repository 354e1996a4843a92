"""gaussian, gumbel_softmax, zoneout, simplified_dropconnect."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _loosen(case):
    if case.dtype == numpy.float16:
        case.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
        case.check_backward_options = {"atol": 5e-3, "rtol": 5e-2}
        case.check_double_backward_options = {"atol": 5e-3, "rtol": 5e-2}


@testing.parameterize(*testing.product({"shape": [(3, 2), ()], "dtype": DTYPES}))
class TestGaussian(testing.FunctionTestCase):

    def setUp(self):
        _loosen(self)
        self.eps = numpy.random.standard_normal(self.shape).astype(self.dtype)

    def generate_inputs(self):
        u = numpy.random.uniform
        return u(-1, 1, self.shape).astype(self.dtype), u(-1, 1, self.shape).astype(self.dtype)

    def forward(self, inputs, device):
        # "* 1.0": the mean's gradient is the output gradient itself, and kusari.grad
        # currently drops other contributions to a target that is also an output
        # (grad([x * 2, x], [x]) == 1 instead of 3), which the double-backward check hits
        return (F.gaussian(*inputs, eps=self.eps.astype(inputs[0].dtype)) * 1.0,)

    def forward_expected(self, inputs):
        m, v = inputs
        return ((m + numpy.exp(v / 2) * self.eps).astype(self.dtype),)


def test_gaussian_draws_and_returns_eps():
    numpy.random.seed(0)
    m = numpy.full((1000,), 2.0, numpy.float32)
    v = numpy.full((1000,), numpy.log(4.0), numpy.float32)
    y, eps = F.gaussian(m, v, return_eps=True)
    assert eps.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, 2 + 2 * eps, rtol=1e-5)
    assert abs(y.array.std() - 2) < 0.2


def test_gaussian_shape_mismatch():
    with pytest.raises(InvalidType) as e:
        F.gaussian(numpy.zeros(3, numpy.float32), numpy.zeros(4, numpy.float32))
    assert "Gaussian (Forward)" in str(e.value)
    assert "ln_var.shape" in str(e.value)


def test_gumbel_softmax_is_a_distribution_and_follows_pi():
    numpy.random.seed(0)
    log_pi = numpy.log(numpy.tile([[0.7, 0.2, 0.1]], (2000, 1))).astype(numpy.float32)
    y = F.gumbel_softmax(log_pi, tau=0.1)
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array.sum(axis=1), 1, rtol=1e-5)
    freq = numpy.bincount(y.array.argmax(axis=1), minlength=3) / 2000
    numpy.testing.assert_allclose(freq, [0.7, 0.2, 0.1], atol=0.04)


def test_gumbel_softmax_gradient_flows():
    x = kusari.Variable(numpy.zeros((2, 3), numpy.float32))
    y = F.gumbel_softmax(x, tau=1.0, axis=1)
    F.sum(y * y).backward()
    assert x.grad.shape == (2, 3)


def test_gumbel_softmax_scalar():
    y = F.gumbel_softmax(numpy.array(1.0, numpy.float32))
    assert y.array == 1.0 and y.dtype == numpy.float32


@testing.parameterize(*testing.product({"dtype": DTYPES}))
class TestZoneout(testing.FunctionTestCase):

    def setUp(self):
        _loosen(self)
        self.seed = numpy.random.randint(1 << 30)

    def generate_inputs(self):
        u = numpy.random.uniform
        return u(-1, 1, (3, 4)).astype(self.dtype), u(-1, 1, (3, 4)).astype(self.dtype)

    def forward(self, inputs, device):
        numpy.random.seed(self.seed)  # the same mask on every call
        return (F.zoneout(*inputs, ratio=0.4),)

    def forward_expected(self, inputs):
        h, x = inputs
        numpy.random.seed(self.seed)
        flag_x = numpy.random.rand(*x.shape) >= 0.4
        return (numpy.where(flag_x, x, h),)


def test_zoneout_test_mode_returns_x():
    h, x = numpy.zeros(3, numpy.float32), numpy.ones(3, numpy.float32)
    with kusari.using_config("train", False):
        assert F.zoneout(h, x) is x


@testing.parameterize(*testing.product({
    "x_shape": [(4, 3), (4, 3, 2)],
    "batchwise": [True, False],
    "bias": [True, False],
    "dtype": DTYPES,
}))
class TestSimplifiedDropconnect(testing.FunctionTestCase):

    def setUp(self):
        _loosen(self)
        m = int(numpy.prod(self.x_shape[1:]))
        shape = ((4,) if self.batchwise else ()) + (2, m)
        self.mask = numpy.random.rand(*shape) >= 0.3

    def generate_inputs(self):
        u = numpy.random.uniform
        m = int(numpy.prod(self.x_shape[1:]))
        ins = [u(-1, 1, self.x_shape).astype(self.dtype), u(-1, 1, (2, m)).astype(self.dtype)]
        if self.bias:
            ins.append(u(-1, 1, (2,)).astype(self.dtype))
        return tuple(ins)

    def forward(self, inputs, device):
        b = inputs[2] if self.bias else None
        return (F.simplified_dropconnect(inputs[0], inputs[1], b, ratio=0.3, mask=self.mask,
                                         use_batchwise_mask=self.batchwise),)

    def forward_expected(self, inputs):
        x = inputs[0].reshape(4, -1).astype(numpy.float64)
        W = inputs[1].astype(numpy.float64)
        mask = self.mask if self.batchwise else numpy.broadcast_to(self.mask, (4,) + W.shape)
        y = numpy.einsum("nij,nj->ni", W * mask, x) / 0.7
        if self.bias:
            y += inputs[2]
        return (y.astype(self.dtype),)


def test_simplified_dropconnect_test_mode_is_linear():
    x = numpy.random.randn(3, 4).astype(numpy.float32)
    W = numpy.random.randn(2, 4).astype(numpy.float32)
    y = F.simplified_dropconnect(x, W, ratio=0.9, train=False)
    numpy.testing.assert_allclose(y.array, x @ W.T, rtol=1e-5)


def test_simplified_dropconnect_shape_error():
    with pytest.raises(InvalidType) as e:
        F.simplified_dropconnect(numpy.zeros((3, 4), numpy.float32),
                                 numpy.zeros((2, 5), numpy.float32))
    assert "SimplifiedDropconnect (Forward)" in str(e.value)
