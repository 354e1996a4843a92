import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["sum_along_second_axis", "no"],
}))
class TestHuberLoss(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, (4, 3)).astype(self.dtype)
        t = numpy.random.uniform(-2, 2, (4, 3)).astype(self.dtype)
        d = numpy.abs(x - t)
        t[numpy.abs(d - 1) < 0.05] += 0.2
        t[d < 0.05] += 0.2
        return x, t

    def forward(self, inputs, device):
        return F.huber_loss(*inputs, delta=1.0, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, t = (a.astype(numpy.float64) for a in inputs)
        d = x - t
        loss = numpy.where(numpy.abs(d) <= 1, 0.5 * d * d, numpy.abs(d) - 0.5)
        if self.reduce != "no":
            loss = loss.sum(axis=1)
        return loss.astype(self.dtype),


def test_errors():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match="Only 'sum_along_second_axis' and 'no'"):
        F.huber_loss(x, x, 1.0, reduce="mean")
    with pytest.raises(InvalidType, match="HuberLoss"):
        F.huber_loss(x, x[:1], 1.0)
