import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _cov(y, z):
    yc = y - y.mean(0)
    zc = z - z.mean(0)
    return yc.T @ zc / len(y)


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["half_squared_sum", "no"],
    "name": ["cross_covariance", "decov"],
}))
class TestCovarianceLosses(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        y = numpy.random.uniform(-1, 1, (4, 3)).astype(self.dtype)
        if self.name == "decov":
            return y,
        return y, numpy.random.uniform(-1, 1, (4, 2)).astype(self.dtype)

    def forward(self, inputs, device):
        if self.name == "decov":
            return F.decov(inputs[0], self.reduce),
        return F.cross_covariance(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        xs = [a.astype(numpy.float64) for a in inputs]
        c = _cov(xs[0], xs[-1])
        if self.name == "decov":
            c = c - numpy.diag(numpy.diag(c))
        if self.reduce == "no":
            return c.astype(self.dtype),
        return numpy.asarray(0.5 * (c * c).sum(), self.dtype),


def test_errors():
    with pytest.raises(ValueError, match="Only 'half_squared_sum' and 'no'"):
        F.cross_covariance(numpy.zeros((2, 2), 'f'), numpy.zeros((2, 2), 'f'), reduce="sum")
    with pytest.raises(InvalidType, match="CrossCovariance"):
        F.cross_covariance(numpy.zeros((2, 2), 'f'), numpy.zeros((3, 2), 'f'))
    with pytest.raises(InvalidType, match="DeCov"):
        F.decov(numpy.zeros(3, 'f'))
