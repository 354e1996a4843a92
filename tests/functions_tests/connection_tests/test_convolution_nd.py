import numpy
import pytest

import kusari.functions as F
from kusari import testing

from ._conv_ref import conv, deconv


@testing.parameterize(*testing.product({
    "dtype": [numpy.float32, numpy.float64],
    "shape": [(7,), (4, 3, 5)],
    "geom": [dict(stride=1, pad=0, dilate=1, groups=1, cover_all=False),
             dict(stride=2, pad=1, dilate=1, groups=2, cover_all=True)],
}))
class TestConvolutionND(testing.FunctionTestCase):

    def setUp(self):
        self.check_forward_options = {"atol": 1e-4, "rtol": 1e-4}
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
        self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        nd = len(self.shape)
        x = numpy.random.uniform(-1, 1, (2, 4) + self.shape).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (2, 4 // self.geom["groups"]) + (2,) * nd)
        b = numpy.random.uniform(-1, 1, (2,))
        return x, W.astype(self.dtype), b.astype(self.dtype)

    def forward(self, inputs, device):
        g = self.geom
        f = F.convolution_1d if len(self.shape) == 1 else F.convolution_3d
        return f(*inputs, stride=g["stride"], pad=g["pad"], cover_all=g["cover_all"],
                 dilate=g["dilate"], groups=g["groups"]),

    def forward_expected(self, inputs):
        g = self.geom
        return conv(*inputs, g["stride"], g["pad"], g["dilate"], g["groups"],
                    g["cover_all"]).astype(self.dtype),


@testing.parameterize(*testing.product({
    "dtype": [numpy.float32, numpy.float64],
    "shape": [(5,), (3, 2, 3)],
    "stride": [1, 2],
}))
class TestDeconvolutionND(testing.FunctionTestCase):

    def setUp(self):
        self.check_forward_options = {"atol": 1e-4, "rtol": 1e-4}
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
        self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        nd = len(self.shape)
        x = numpy.random.uniform(-1, 1, (2, 3) + self.shape).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (3, 2) + (2,) * nd).astype(self.dtype)
        return x, W

    def forward(self, inputs, device):
        f = F.deconvolution_1d if len(self.shape) == 1 else F.deconvolution_3d
        return f(*inputs, stride=self.stride, pad=0),

    def forward_expected(self, inputs):
        return deconv(*inputs, stride=self.stride).astype(self.dtype),


def test_wrong_spatial_rank():
    with pytest.raises(ValueError, match="should be 1"):
        F.convolution_1d(numpy.zeros((1, 1, 3, 3), numpy.float32),
                         numpy.zeros((1, 1, 3, 3), numpy.float32))
    with pytest.raises(ValueError, match="should be 3"):
        F.deconvolution_3d(numpy.zeros((1, 1, 3, 3), numpy.float32),
                           numpy.zeros((1, 1, 3, 3), numpy.float32))


def test_convolution_nd_2d_matches_convolution_2d():
    rng = numpy.random.RandomState(0)
    x = rng.randn(2, 3, 5, 5).astype(numpy.float32)
    W = rng.randn(4, 3, 3, 3).astype(numpy.float32)
    numpy.testing.assert_allclose(F.convolution_nd(x, W, pad=1).array,
                                  F.convolution_2d(x, W, pad=1).array, rtol=1e-6)
