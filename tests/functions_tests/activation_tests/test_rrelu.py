import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._common import DTYPES, loosen_for_float16


@testing.parameterize(*testing.product({
    "shape": [(3, 4), ()],
    "dtype": DTYPES,
    "train": [True, False],
}))
class TestRReLU(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        loosen_for_float16(self)
        self.r = numpy.random.uniform(0.125, 1 / 3, self.shape).astype(self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape)
        x[numpy.abs(x) < 0.05] = 0.3
        return (x.astype(self.dtype),)

    def forward(self, inputs, device):
        with kusari.using_config("train", self.train):
            if self.train:
                return (F.rrelu(inputs[0], r=self.r.astype(inputs[0].dtype)),)
            return (F.rrelu(inputs[0]),)

    def forward_expected(self, inputs):
        x, = inputs
        r = self.r if self.train else (0.125 + 1 / 3) / 2
        return (numpy.where(x >= 0, x, x * r).astype(self.dtype),)


def test_rrelu_draws_slopes_within_bounds_and_returns_them():
    numpy.random.seed(0)
    x = -numpy.ones((100,), numpy.float32)
    y, r = F.rrelu(x, l=0.1, u=0.2, return_r=True)
    assert r.shape == x.shape and r.dtype == numpy.float32
    assert (r >= 0.1).all() and (r < 0.2).all()
    numpy.testing.assert_allclose(y.array, -r)
    numpy.random.seed(0)
    _, r2 = F.rrelu(x, l=0.1, u=0.2, return_r=True)
    numpy.testing.assert_array_equal(r, r2)


def test_rrelu_bad_bounds():
    x = numpy.zeros(2, numpy.float32)
    for l, u in [(-0.1, 0.5), (0.1, 1.0), (0.3, 0.2)]:
        with pytest.raises(ValueError):
            F.rrelu(x, l, u)


def test_rrelu_r_shape_checked():
    with pytest.raises(InvalidType):
        F.rrelu(numpy.zeros(3, numpy.float32), r=numpy.zeros(4, numpy.float32))


def test_rrelu_train_kwarg():
    with pytest.raises(ValueError):
        F.rrelu(numpy.zeros(3, numpy.float32), train=True)
