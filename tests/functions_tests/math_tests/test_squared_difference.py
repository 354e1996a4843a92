"""squared_difference: forward, gradients, type errors."""

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "shape": [(3, 2), (), (4, 1, 3)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestSquaredDifference(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
                     for _ in range(2))

    def forward(self, inputs, device):
        return (F.squared_difference(*inputs),)

    def forward_expected(self, inputs):
        x1, x2 = (x.astype(numpy.float64) for x in inputs)
        return (numpy.asarray((x1 - x2) ** 2).astype(self.dtype),)


def test_squared_difference_is_keyword_compatible():
    a, b = numpy.array([1.0, 2.0]), numpy.array([0.0, 4.0])
    numpy.testing.assert_array_equal(F.squared_difference(x1=a, x2=b).array, [1.0, 4.0])


@pytest.mark.parametrize("x1,x2,expect", [
    (numpy.zeros(2, numpy.float32), numpy.zeros(3, numpy.float32), "x0.shape == x1.shape"),
    (numpy.zeros(2, numpy.float32), numpy.zeros(2, numpy.float64), "x0.dtype == x1.dtype"),
    (numpy.zeros(2, numpy.int32), numpy.zeros(2, numpy.int32), "x0.dtype.kind == f"),
])
def test_squared_difference_type_errors(x1, x2, expect):
    with pytest.raises(InvalidType) as e:
        F.squared_difference(x1, x2)
    assert "SquaredError (Forward)" in str(e.value)
    assert expect in str(e.value)
