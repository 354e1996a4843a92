import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*[p for p in testing.product({
    "x_shape": [(4, 3), (2, 2, 3)],
    "n_batch_axes": [1, 2],
    "bias": [True, False],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}) if p["n_batch_axes"] < len(p["x_shape"])])
class TestLinear(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        rng = numpy.random.RandomState(len(self.x_shape) * 10 + self.n_batch_axes)
        in_size = int(numpy.prod(self.x_shape[self.n_batch_axes:]))
        x = rng.uniform(-1, 1, self.x_shape).astype(self.dtype)
        W = rng.uniform(-1, 1, (5, in_size)).astype(self.dtype)
        if not self.bias:
            return x, W
        return x, W, rng.uniform(-1, 1, (5,)).astype(self.dtype)

    def forward(self, inputs, device):
        return F.linear(*inputs, n_batch_axes=self.n_batch_axes),

    def forward_expected(self, inputs):
        x, W = (a.astype(numpy.float64) for a in inputs[:2])
        batch = self.x_shape[:self.n_batch_axes]
        y = x.reshape(int(numpy.prod(batch)), -1) @ W.T
        if self.bias:
            y = y + inputs[2]
        return y.reshape(batch + (5,)).astype(self.dtype),


def test_linear_gradients_against_numpy():
    rng = numpy.random.RandomState(0)
    x = kusari.Variable(rng.randn(6, 4))
    W = kusari.Variable(rng.randn(3, 4))
    b = kusari.Variable(rng.randn(3))
    gy = rng.randn(6, 3)
    y = F.linear(x, W, b)
    y.grad = gy
    y.backward()
    numpy.testing.assert_allclose(x.grad, gy @ W.array, rtol=1e-12)
    numpy.testing.assert_allclose(W.grad, gy.T @ x.array, rtol=1e-12)
    numpy.testing.assert_allclose(b.grad, gy.sum(0), rtol=1e-12)


def test_linear_type_errors_name_the_argument():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.linear(x, numpy.zeros((4, 2), numpy.float32))
    assert "LinearFunction (Forward)" in str(e.value)
    assert "x.shape[1] == W.shape[1]" in str(e.value)
    with pytest.raises(InvalidType, match="b.dtype == x.dtype"):
        F.linear(x, numpy.zeros((4, 3), numpy.float32), numpy.zeros(4))
    with pytest.raises(InvalidType, match="b.shape"):
        F.linear(x, numpy.zeros((4, 3), numpy.float32), numpy.zeros(5, numpy.float32))
    with pytest.raises(ValueError, match="n_batch_axes"):
        F.linear(x, numpy.zeros((4, 3), numpy.float32), n_batch_axes=0)
