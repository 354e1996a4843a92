import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._conv_ref import conv


def _tols(self):
    if self.dtype == numpy.float16:
        self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
        self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
    else:
        self.check_forward_options = {"atol": 1e-4, "rtol": 1e-4}
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
        self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}


@testing.parameterize(*(testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "geom": [dict(stride=1, pad=1, dilate=1, groups=1, cover_all=False)],
    "nobias": [False],
}) + testing.product({
    "dtype": [numpy.float64],
    "geom": [
        dict(stride=2, pad=0, dilate=1, groups=1, cover_all=True),
        dict(stride=(2, 1), pad=(1, 0), dilate=1, groups=1, cover_all=False),
        dict(stride=1, pad=2, dilate=2, groups=1, cover_all=False),
        dict(stride=2, pad=1, dilate=(1, 2), groups=2, cover_all=True),
        dict(stride=1, pad=0, dilate=1, groups=4, cover_all=False),
    ],
    "nobias": [False, True],
})))
class TestConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        _tols(self)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 4, 5, 6)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (4, 4 // self.geom["groups"], 3, 2)).astype(self.dtype)
        if self.nobias:
            return x, W
        b = numpy.random.uniform(-1, 1, (4,)).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        g = self.geom
        return F.convolution_2d(*inputs, stride=g["stride"], pad=g["pad"],
                                cover_all=g["cover_all"], dilate=g["dilate"],
                                groups=g["groups"]),

    def forward_expected(self, inputs):
        g = self.geom
        x, W = inputs[:2]
        b = inputs[2] if len(inputs) == 3 else None
        d = g["dilate"]
        y = conv(x, W, b, g["stride"], g["pad"], d, g["groups"], g["cover_all"])
        return y.astype(self.dtype),



@testing.parameterize(*testing.product({
    "dtype": [numpy.float32, numpy.float64],
    "geom": [
        dict(stride=1, pad=1, dilate=1, groups=1, cover_all=False),
        dict(stride=2, pad=1, dilate=(1, 2), groups=2, cover_all=True),
    ],
}))
class TestConvolution2DWideChannels(testing.FunctionTestCase):
    """32 input channels per group: the gradient for ``x`` is added per kernel offset."""

    def setUp(self):
        _tols(self)

    def generate_inputs(self):
        g = self.geom["groups"]
        x = numpy.random.uniform(-1, 1, (2, 32 * g, 4, 5)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (4, 32, 3, 2)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, (4,)).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        g = self.geom
        return F.convolution_2d(*inputs, stride=g["stride"], pad=g["pad"],
                                cover_all=g["cover_all"], dilate=g["dilate"],
                                groups=g["groups"]),

    def forward_expected(self, inputs):
        g = self.geom
        x, W, b = inputs
        y = conv(x, W, b, g["stride"], g["pad"], g["dilate"], g["groups"], g["cover_all"])
        return y.astype(self.dtype),


def test_shapes_and_cover_all():
    x = numpy.zeros((1, 1, 5, 5), numpy.float32)
    W = numpy.zeros((2, 1, 2, 2), numpy.float32)
    assert F.convolution_2d(x, W, stride=2).shape == (1, 2, 2, 2)
    assert F.convolution_2d(x, W, stride=2, cover_all=True).shape == (1, 2, 3, 3)


def test_mixed_weight_dtype_keeps_input_dtype():
    x = numpy.ones((1, 2, 3, 3), numpy.float32)
    W = numpy.ones((1, 2, 3, 3), numpy.float64)
    assert F.convolution_2d(x, W).dtype == numpy.float32


def test_channel_mismatch_names_function_and_argument():
    x = numpy.zeros((1, 4, 5, 5), numpy.float32)
    W = numpy.zeros((2, 3, 3, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.convolution_2d(x, W)
    assert "Convolution2DFunction (Forward)" in str(e.value)
    assert "x.shape[1] == W.shape[1] * 1" in str(e.value)


def test_int_input_rejected():
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        F.convolution_2d(numpy.zeros((1, 1, 3, 3), numpy.int32),
                         numpy.zeros((1, 1, 3, 3), numpy.float32))


def test_bias_shape_checked():
    with pytest.raises(InvalidType, match="b.shape"):
        F.convolution_2d(numpy.zeros((1, 1, 3, 3), numpy.float32),
                         numpy.zeros((2, 1, 3, 3), numpy.float32), numpy.zeros(3, numpy.float32))


def test_kwargs():
    x = numpy.zeros((1, 1, 3, 3), numpy.float32)
    W = numpy.zeros((1, 1, 3, 3), numpy.float32)
    with pytest.raises(ValueError, match="deterministic"):
        F.convolution_2d(x, W, deterministic=True)
    with pytest.raises(TypeError, match="'foo'"):
        F.convolution_2d(x, W, foo=1)


def test_backward_without_double_backprop_matches_graph_mode():
    rng = numpy.random.RandomState(0)
    x = rng.randn(2, 3, 6, 5).astype(numpy.float32)
    W = rng.randn(4, 3, 3, 3).astype(numpy.float32)
    b = rng.randn(4).astype(numpy.float32)
    gy = rng.randn(2, 4, 3, 3).astype(numpy.float32)
    grads = []
    for double in (False, True):
        vs = [kusari.Variable(a) for a in (x, W, b)]
        y = F.convolution_2d(*vs, stride=2, pad=1)
        y.grad = gy
        y.backward(enable_double_backprop=double)
        grads.append([v.grad for v in vs])
    for a, b_ in zip(*grads):
        numpy.testing.assert_allclose(a, b_, rtol=1e-5, atol=1e-5)
