import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "shape": [(3, 2), (), (4, 1, 3)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestReLU(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-3, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-3, "rtol": 5e-2}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        x[numpy.abs(x) < 0.05] = 0.5
        return (x,)

    def forward(self, inputs, device):
        return (F.relu(inputs[0]),)

    def forward_expected(self, inputs):
        (x,) = inputs
        return (numpy.maximum(x, 0).astype(self.dtype),)


def test_relu_int_input_names_function():
    with pytest.raises(InvalidType) as e:
        F.relu(numpy.zeros(3, numpy.int32))
    msg = str(e.value)
    assert "ReLU (Forward)" in msg
    assert "x.dtype.kind == f" in msg
    assert "i != f" in msg
