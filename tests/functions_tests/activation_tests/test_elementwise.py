"""sigmoid, tanh, leaky_relu, elu, selu, softplus, hard_sigmoid, clipped_relu, relu6."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._common import DTYPES, loosen_for_float16


def _np_sigmoid(x):
    return 1 / (1 + numpy.exp(-x))


def _np_elu(x, alpha):
    return numpy.where(x > 0, x, alpha * numpy.expm1(numpy.minimum(x, 0)))


# name -> (call, numpy reference, kinks to avoid)
CASES = {
    "sigmoid": (F.sigmoid, _np_sigmoid, ()),
    "tanh": (F.tanh, numpy.tanh, ()),
    "leaky_relu": (F.leaky_relu, lambda x: numpy.where(x >= 0, x, 0.2 * x), (0,)),
    "leaky_relu_neg_slope": (lambda x: F.leaky_relu(x, slope=-0.5),
                             lambda x: numpy.where(x >= 0, x, -0.5 * x), (0,)),
    "elu": (F.elu, lambda x: _np_elu(x, 1.0), (0,)),
    "elu_alpha": (lambda x: F.elu(x, alpha=0.5), lambda x: _np_elu(x, 0.5), (0,)),
    "selu": (F.selu, lambda x: 1.0507009873554805 * _np_elu(x, 1.6732632423543772), (0,)),
    "softplus": (F.softplus, lambda x: numpy.log1p(numpy.exp(x)), ()),
    "softplus_beta": (lambda x: F.softplus(x, beta=2.0),
                      lambda x: numpy.log1p(numpy.exp(2 * x)) / 2, ()),
    "hard_sigmoid": (F.hard_sigmoid, lambda x: numpy.clip(0.2 * x + 0.5, 0, 1), (-2.5, 2.5)),
    "clipped_relu": (lambda x: F.clipped_relu(x, 0.75), lambda x: numpy.clip(x, 0, 0.75),
                     (0, 0.75)),
    "relu6": (lambda x: F.relu6(x * 4) , lambda x: numpy.clip(4 * x, 0, 6), (0, 1.5)),
}


@testing.parameterize(*testing.product({
    "name": sorted(CASES),
    "shape": [(3, 4), ()],
    "dtype": DTYPES,
}))
class TestElementwise(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        loosen_for_float16(self)

    def generate_inputs(self):
        x = numpy.random.uniform(-3, 3, self.shape)
        for k in CASES[self.name][2]:
            x[numpy.abs(x - k) < 0.1] = k + 0.3
        return (x.astype(self.dtype),)

    def forward(self, inputs, device):
        return (CASES[self.name][0](inputs[0]),)

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        return (numpy.asarray(CASES[self.name][1](x)).astype(self.dtype),)


@pytest.mark.parametrize("f, label", [
    (F.sigmoid, "Sigmoid"), (F.tanh, "Tanh"), (F.leaky_relu, "LeakyReLU"), (F.elu, "ELU"),
    (F.softplus, "Softplus"), (F.hard_sigmoid, "HardSigmoid"), (F.clipped_relu, "ClippedReLU"),
    (F.selu, "ELU"), (F.relu6, "ClippedReLU"),
])
def test_int_input_is_rejected_naming_function(f, label):
    with pytest.raises(InvalidType) as e:
        f(numpy.zeros(3, numpy.int32))
    msg = str(e.value)
    assert f"{label} (Forward)" in msg
    assert "x.dtype.kind == f" in msg


def test_sigmoid_saturates_without_overflow():
    x = numpy.array([-1000.0, 1000.0], numpy.float32)
    with numpy.errstate(all="raise"):
        y = F.sigmoid(x).array
    assert y.tolist() == [0.0, 1.0]


def test_softplus_large_inputs_stable():
    x = numpy.array([-100.0, 100.0], numpy.float32)
    y = F.softplus(x).array
    numpy.testing.assert_allclose(y, [0.0, 100.0], atol=1e-6)
    assert y.dtype == numpy.float32


def test_elu_large_positive_no_overflow_in_gradient():
    x = kusari.Variable(numpy.array([200.0, -1.0], numpy.float32))
    y = F.elu(x)
    y.grad = numpy.ones(2, numpy.float32)
    with numpy.errstate(over="raise", invalid="raise"):
        y.backward()
    numpy.testing.assert_allclose(x.grad, [1.0, numpy.exp(-1.0)], rtol=1e-6)


def test_leaky_relu_gradient_at_zero_is_one():
    x = kusari.Variable(numpy.zeros(2, numpy.float32))
    y = F.leaky_relu(x)
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_clipped_relu_z_must_be_float():
    with pytest.raises(TypeError):
        F.clipped_relu(numpy.zeros(2, numpy.float32), 6)


def test_relu6_default_cap():
    y = F.relu6(numpy.array([-1.0, 10.0], numpy.float32))
    assert y.array.tolist() == [0.0, 6.0]


def test_triple_backward_of_tanh():
    x = kusari.Variable(numpy.array([0.3]))
    y = F.tanh(x)
    gx, = kusari.grad([y], [x], enable_double_backprop=True)
    ggx, = kusari.grad([gx], [x], enable_double_backprop=True)
    gggx, = kusari.grad([ggx], [x])
    t = numpy.tanh(0.3)
    # d^3/dx^3 tanh = -2 (1 - t^2)(1 - 3 t^2)
    numpy.testing.assert_allclose(gggx.array, [-2 * (1 - t * t) * (1 - 3 * t * t)])
