import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._conv_ref import deconv
from .test_convolution_2d import _tols


@testing.parameterize(*(testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "geom": [dict(stride=1, pad=1, dilate=1, groups=1, outsize=None)],
    "nobias": [False],
}) + testing.product({
    "dtype": [numpy.float64],
    "geom": [
        dict(stride=2, pad=0, dilate=1, groups=1, outsize=None),
        dict(stride=2, pad=1, dilate=1, groups=1, outsize=(8, 9)),
        dict(stride=(3, 2), pad=(1, 0), dilate=(2, 1), groups=2, outsize=None),
        dict(stride=1, pad=0, dilate=1, groups=4, outsize=None),
    ],
    "nobias": [False, True],
})))
class TestDeconvolution2D(testing.FunctionTestCase):

    def setUp(self):
        _tols(self)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 4, 4, 5)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (4, 6 // self.geom["groups"] if self.geom["groups"] != 4
                                         else 1, 3, 2)).astype(self.dtype)
        if self.nobias:
            return x, W
        b = numpy.random.uniform(-1, 1, (W.shape[1] * self.geom["groups"],)).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        g = self.geom
        return F.deconvolution_2d(*inputs, stride=g["stride"], pad=g["pad"],
                                  outsize=g["outsize"], dilate=g["dilate"], groups=g["groups"]),

    def forward_expected(self, inputs):
        g = self.geom
        x, W = inputs[:2]
        b = inputs[2] if len(inputs) == 3 else None
        y = deconv(x, W, b, g["stride"], g["pad"], g["dilate"], g["groups"], g["outsize"])
        return y.astype(self.dtype),


def test_deconvolution_is_transposed_convolution():
    rng = numpy.random.RandomState(1)
    x = rng.randn(2, 3, 7, 6)
    W = rng.randn(5, 3, 3, 3)
    y = F.convolution_2d(x, W, stride=2, pad=1)
    gy = rng.randn(*y.shape)
    # <conv(x), gy> == <x, deconv(gy)>
    gx = F.deconvolution_2d(gy, W, stride=2, pad=1, outsize=(7, 6)).array
    numpy.testing.assert_allclose((y.array * gy).sum(), (x * gx).sum(), rtol=1e-10)


def test_invalid_outsize():
    x = numpy.zeros((1, 4, 5, 5), numpy.float32)
    W = numpy.zeros((4, 2, 3, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.deconvolution_2d(x, W, outsize=(20, 20))
    assert "Deconvolution2DFunction (Forward)" in str(e.value)


def test_channel_mismatch():
    with pytest.raises(InvalidType, match=r"x.shape\[1\] == W.shape\[0\]"):
        F.deconvolution_2d(numpy.zeros((1, 3, 5, 5), numpy.float32),
                           numpy.zeros((4, 2, 3, 3), numpy.float32))
