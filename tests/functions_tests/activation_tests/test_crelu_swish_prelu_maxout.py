import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._common import DTYPES, loosen_for_float16


def _away_from_zero(x):
    x[numpy.abs(x) < 0.05] = 0.3
    return x


@testing.parameterize(*testing.product({
    "shape_axis": [((2, 3), 1), ((2, 3, 2), 0), ((2, 3, 2), -1)],
    "dtype": DTYPES,
}))
class TestCReLU(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        self.shape, self.axis = self.shape_axis
        loosen_for_float16(self)

    def generate_inputs(self):
        return (_away_from_zero(numpy.random.uniform(-1, 1, self.shape)).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.crelu(inputs[0], axis=self.axis),)

    def forward_expected(self, inputs):
        x, = inputs
        return (numpy.concatenate((numpy.maximum(x, 0), numpy.maximum(-x, 0)), self.axis),)


def test_crelu_axis_out_of_range():
    with pytest.raises(InvalidType) as e:
        F.crelu(numpy.zeros((2, 3), numpy.float32), axis=2)
    assert "CReLU (Forward)" in str(e.value)


@testing.parameterize(*testing.product({
    "shapes": [((2, 3), (3,)), ((2, 3, 4), (3,)), ((2, 3, 4), (3, 4)), ((2, 3), ())],
    "dtype": DTYPES,
}))
class TestSwish(testing.FunctionTestCase):

    def setUp(self):
        loosen_for_float16(self)

    def generate_inputs(self):
        xs, bs = self.shapes
        x = numpy.random.uniform(-2, 2, xs).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, bs).astype(self.dtype)
        return x, b

    def forward(self, inputs, device):
        return (F.swish(*inputs),)

    def forward_expected(self, inputs):
        x, b = (a.astype(numpy.float64) for a in inputs)
        b = b.reshape((1,) + b.shape + (1,) * (x.ndim - 1 - b.ndim))
        return ((x / (1 + numpy.exp(-b * x))).astype(self.dtype),)


def test_swish_beta_shape_mismatch():
    with pytest.raises(InvalidType) as e:
        F.swish(numpy.zeros((2, 3), numpy.float32), numpy.zeros(4, numpy.float32))
    assert "Swish (Forward)" in str(e.value)
    assert "beta.shape" in str(e.value)


@testing.parameterize(*testing.product({
    "shapes": [((2, 3), (3,)), ((2, 3, 4), (3,)), ((2, 3, 4), (3, 4)), ((2, 3), ())],
    "dtype": DTYPES,
}))
class TestPReLU(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        loosen_for_float16(self)

    def generate_inputs(self):
        xs, ws = self.shapes
        x = _away_from_zero(numpy.random.uniform(-1, 1, xs)).astype(self.dtype)
        w = numpy.random.uniform(-1, 1, ws).astype(self.dtype)
        return x, w

    def forward(self, inputs, device):
        return (F.prelu(*inputs),)

    def forward_expected(self, inputs):
        x, w = inputs
        w = w.reshape((1,) + w.shape + (1,) * (x.ndim - 1 - w.ndim))
        return (numpy.where(x >= 0, x, x * w).astype(self.dtype),)


def test_prelu_wrong_w_dtype():
    with pytest.raises(InvalidType) as e:
        F.prelu(numpy.zeros((2, 3), numpy.float32), numpy.zeros(3, numpy.float64))
    assert "PReLUFunction (Forward)" in str(e.value)
    assert "W.dtype == x.dtype" in str(e.value)


@testing.parameterize(*testing.product({
    "shape_pool_axis": [((2, 6), 3, 1), ((2, 4, 3), 2, 1), ((4, 3), 2, 0), ((2, 3, 4), 2, 2)],
    "dtype": DTYPES,
}))
class TestMaxout(testing.FunctionTestCase):

    def setUp(self):
        self.shape, self.pool, self.axis = self.shape_pool_axis
        loosen_for_float16(self)

    def generate_inputs(self):
        # distinct values so the maximum is unique and stays so under perturbation
        n = int(numpy.prod(self.shape))
        x = numpy.random.permutation(n).reshape(self.shape) * 0.1 - 1
        return (x.astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.maxout(inputs[0], self.pool, self.axis),)

    def forward_expected(self, inputs):
        x, = inputs
        s = x.shape
        a = self.axis
        r = x.reshape(s[:a] + (s[a] // self.pool, self.pool) + s[a + 1:])
        return (r.max(axis=a + 1),)


def test_maxout_errors():
    x = numpy.zeros((2, 6), numpy.float32)
    with pytest.raises(ValueError):
        F.maxout(x, 0)
    with pytest.raises(InvalidType):
        F.maxout(x, 4)
