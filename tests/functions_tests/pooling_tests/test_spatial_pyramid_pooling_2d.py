import math

import numpy
import pytest

import kusari.functions as F
from kusari import testing

from ._ref import max_pool


@testing.parameterize(*testing.product({
    "dtype": [numpy.float32, numpy.float64],
    "shape": [(4, 4), (8, 6)],
}))
class TestSpatialPyramidPooling2D(testing.FunctionTestCase):
    skip_double_backward_test = False

    def setUp(self):
        self.check_backward_options = {"eps": 1e-4, "atol": 1e-3, "rtol": 1e-3}
        self.check_double_backward_options = {"eps": 1e-4, "atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        n = 2 * 3 * self.shape[0] * self.shape[1]
        x = numpy.random.permutation(n).astype(numpy.float64) / n
        return x.reshape((2, 3) + self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.spatial_pyramid_pooling_2d(inputs[0], 3, "max"),

    def forward_expected(self, inputs):
        x = inputs[0]
        h, w = self.shape
        ys = []
        for level in range(3):
            bins = 2 ** level
            kh, kw = math.ceil(h / bins), math.ceil(w / bins)
            pad = ((kh * bins - h) // 2, (kw * bins - w) // 2)
            y, _ = max_pool(x, (kh, kw), (kh, kw), pad, True)
            ys.append(y.reshape(2, -1))
        return numpy.concatenate(ys, 1).reshape(2, -1, 1, 1).astype(self.dtype),


def test_pooling_must_be_max():
    with pytest.raises(ValueError, match="Unsupported pooling"):
        F.spatial_pyramid_pooling_2d(numpy.zeros((1, 1, 4, 4), 'f'), 2)
