import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._conv_ref import conv


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestDilatedConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        tol = 5e-2 if self.dtype == numpy.float16 else 1e-3
        self.check_forward_options = {"atol": tol, "rtol": tol}
        self.check_backward_options = {"atol": tol, "rtol": tol}
        self.check_double_backward_options = {"atol": tol, "rtol": tol}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 2, 7, 6)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (3, 2, 2, 3)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, (3,)).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        return F.dilated_convolution_2d(*inputs, stride=1, pad=1, dilate=2),

    def forward_expected(self, inputs):
        return conv(*inputs, 1, 1, 2).astype(self.dtype),


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestDepthwiseConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        tol = 5e-2 if self.dtype == numpy.float16 else 1e-3
        self.check_forward_options = {"atol": tol, "rtol": tol}
        self.check_backward_options = {"atol": tol, "rtol": tol}
        self.check_double_backward_options = {"atol": tol, "rtol": tol}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 3, 5, 4)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (2, 3, 3, 2)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, (6,)).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        return F.depthwise_convolution_2d(*inputs, stride=2, pad=1),

    def forward_expected(self, inputs):
        x, W, b = inputs
        m, c = W.shape[:2]
        y = numpy.zeros((2, c * m, 3, 3))
        for ci in range(c):
            for mi in range(m):
                y[:, ci * m + mi:ci * m + mi + 1] = conv(x[:, ci:ci + 1], W[mi:mi + 1, ci:ci + 1],
                                                         None, 2, 1)
        return (y + b.reshape(1, -1, 1, 1)).astype(self.dtype),


def test_depthwise_channel_mismatch():
    with pytest.raises(InvalidType, match="DepthwiseConvolution2D"):
        F.depthwise_convolution_2d(numpy.zeros((1, 3, 4, 4), numpy.float32),
                                   numpy.zeros((2, 2, 3, 3), numpy.float32))
