import math

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _reduce(x, reduce):
    if reduce == "sum":
        return numpy.asarray(x.sum())
    if reduce == "mean":
        return numpy.asarray(x.mean())
    return x


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["sum", "mean", "no"],
    "name": ["kl", "bernoulli", "gaussian"],
}))
class TestVAELosses(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        n = 3 if self.name == "gaussian" else 2
        return tuple(numpy.random.uniform(-1, 1, (3, 2)).astype(self.dtype) for _ in range(n))

    def forward(self, inputs, device):
        if self.name == "kl":
            return F.gaussian_kl_divergence(*inputs, reduce=self.reduce),
        if self.name == "bernoulli":
            return F.bernoulli_nll(*inputs, reduce=self.reduce),
        return F.gaussian_nll(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        xs = [a.astype(numpy.float64) for a in inputs]
        if self.name == "kl":
            m, v = xs
            loss = 0.5 * (m * m + numpy.exp(v) - v - 1)
        elif self.name == "bernoulli":
            x, y = xs
            p = 1 / (1 + numpy.exp(-y))
            loss = -(x * numpy.log(p) + (1 - x) * numpy.log(1 - p))
        else:
            x, m, v = xs
            loss = 0.5 * (math.log(2 * math.pi) + v) + 0.5 * (x - m) ** 2 / numpy.exp(v)
        return _reduce(loss, self.reduce).astype(self.dtype),


def test_errors():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match="only 'sum', 'mean' and 'no'"):
        F.gaussian_kl_divergence(a, a, reduce="foo")
    with pytest.raises(InvalidType, match="ln_var"):
        F.gaussian_kl_divergence(a, a[:1])
    with pytest.raises(InvalidType, match="bernoulli_nll"):
        F.bernoulli_nll(a, a.astype(numpy.float64))
