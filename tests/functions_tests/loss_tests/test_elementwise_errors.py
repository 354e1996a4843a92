import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

FUNCS = {
    "mean_absolute_error": (F.mean_absolute_error,
                            lambda a, b: numpy.asarray(numpy.abs(a - b).mean())),
    "mean_squared_error": (F.mean_squared_error,
                           lambda a, b: numpy.asarray(((a - b) ** 2).mean())),
    "squared_error": (F.squared_error, lambda a, b: (a - b) ** 2),
    "absolute_error": (F.absolute_error, lambda a, b: numpy.abs(a - b)),
}


@testing.parameterize(*testing.product({
    "name": sorted(FUNCS),
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "shape": [(4, 3), ()],
}))
class TestElementwiseErrors(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 5e-2}

    def generate_inputs(self):
        a = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        b[numpy.abs(a - b) < 0.1] += 0.5
        return a, b

    def forward(self, inputs, device):
        return FUNCS[self.name][0](*inputs),

    def forward_expected(self, inputs):
        a, b = (x.astype(numpy.float64) for x in inputs)
        return numpy.asarray(FUNCS[self.name][1](a, b)).astype(self.dtype),


@pytest.mark.parametrize("name,label", [("mean_absolute_error", "MeanAbsoluteError"),
                                        ("mean_squared_error", "MeanSquaredError"),
                                        ("squared_error", "SquaredError"),
                                        ("absolute_error", "AbsoluteError")])
def test_type_errors(name, label):
    f = FUNCS[name][0]
    a = numpy.zeros((4, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        f(a, a.astype(numpy.float64))
    assert f"{label} (Forward)" in str(e.value)
    assert "x0.dtype == x1.dtype" in str(e.value)
    with pytest.raises(InvalidType, match="x0.shape == x1.shape"):
        f(a, a[:2])
