import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._ref import avg_pool


@testing.parameterize(*(testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "geom": [dict(ksize=2, stride=None, pad=0)],
}) + testing.product({
    "dtype": [numpy.float64],
    "geom": [dict(ksize=3, stride=2, pad=1), dict(ksize=(2, 3), stride=1, pad=(1, 0))],
})))
class TestAveragePooling2D(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 1e-2}

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 5, 6)).astype(self.dtype),

    def forward(self, inputs, device):
        g = self.geom
        return F.average_pooling_2d(inputs[0], g["ksize"], g["stride"], g["pad"]),

    def forward_expected(self, inputs):
        g = self.geom
        k = (g["ksize"],) * 2 if isinstance(g["ksize"], int) else g["ksize"]
        s = k if g["stride"] is None else (g["stride"],) * 2
        p = (g["pad"],) * 2 if isinstance(g["pad"], int) else g["pad"]
        return avg_pool(inputs[0], k, s, p).astype(self.dtype),


@testing.parameterize(*testing.product({
    "shape": [(7,), (3, 4, 5)],
    "pad_value": [0, None],
}))
class TestAveragePoolingND(testing.FunctionTestCase):

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 2) + self.shape),

    def forward(self, inputs, device):
        f = F.average_pooling_1d if len(self.shape) == 1 else F.average_pooling_3d
        return f(inputs[0], 3, 2, 1, self.pad_value),

    def forward_expected(self, inputs):
        nd = len(self.shape)
        return avg_pool(inputs[0], (3,) * nd, (2,) * nd, (1,) * nd, self.pad_value),


def test_pad_value_checked():
    with pytest.raises(ValueError, match="pad_value must be either 0 or None, not 1"):
        F.average_pooling_nd(numpy.ones((1, 1, 3, 3), numpy.float32), 2, pad_value=1)


def test_type_error_names_function():
    with pytest.raises(InvalidType) as e:
        F.average_pooling_2d(numpy.zeros((2, 3, 4, 4), numpy.int32), 2)
    assert "AveragePooling2D (Forward)" in str(e.value)
