import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _ref(x, W, b, stride):
    sy, sx = (stride, stride) if isinstance(stride, int) else stride
    o, oh, ow, c, kh, kw = W.shape
    y = numpy.zeros((x.shape[0], o, oh, ow))
    for u in range(oh):
        for v in range(ow):
            patch = x[:, :, u * sy:u * sy + kh, v * sx:v * sx + kw].astype(numpy.float64)
            y[:, :, u, v] = numpy.einsum("nckl,ockl->no", patch, W[:, u, v])
    if b is not None:
        y += b
    return y


@testing.parameterize(*(testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "stride": [1],
    "nobias": [False],
}) + testing.product({
    "dtype": [numpy.float64],
    "stride": [2, (1, 2)],
    "nobias": [False, True],
})))
class TestLocalConvolution2D(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        else:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        sy, sx = (self.stride, self.stride) if isinstance(self.stride, int) else self.stride
        x = numpy.random.uniform(-1, 1, (2, 3, 6, 5)).astype(self.dtype)
        oh, ow = (6 - 3) // sy + 1, (5 - 2) // sx + 1
        W = numpy.random.uniform(-1, 1, (2, oh, ow, 3, 3, 2)).astype(self.dtype)
        if self.nobias:
            return x, W
        return x, W, numpy.random.uniform(-1, 1, (2, oh, ow)).astype(self.dtype)

    def forward(self, inputs, device):
        return F.local_convolution_2d(*inputs, stride=self.stride),

    def forward_expected(self, inputs):
        b = inputs[2] if len(inputs) == 3 else None
        return _ref(inputs[0], inputs[1], b, self.stride).astype(self.dtype),


def test_channel_mismatch_names_function_and_argument():
    x = numpy.zeros((1, 2, 4, 4), numpy.float32)
    W = numpy.zeros((1, 2, 2, 3, 3, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.local_convolution_2d(x, W)
    assert "LocalConvolution2DFunction (Forward)" in str(e.value)
    assert "x.shape[1] == W.shape[3]" in str(e.value)


def test_bias_shape_checked():
    x = numpy.zeros((1, 2, 4, 4), numpy.float32)
    W = numpy.zeros((3, 2, 2, 2, 3, 3), numpy.float32)
    with pytest.raises(InvalidType, match="b.ndim == 3"):
        F.local_convolution_2d(x, W, numpy.zeros((3,), numpy.float32))


def test_output_grid_must_fit():
    x = numpy.zeros((1, 2, 5, 4), numpy.float32)
    W = numpy.zeros((3, 2, 2, 2, 3, 3), numpy.float32)
    with pytest.raises(ValueError, match="local_convolution_2d"):
        F.local_convolution_2d(x, W)
