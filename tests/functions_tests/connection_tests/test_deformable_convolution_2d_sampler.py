"""deformable_convolution_2d_sampler: per-pixel NumPy reference, gradients, errors."""

import math

import numpy
import pytest

from kusari import testing
from kusari.functions.connection.deformable_convolution_2d_sampler import (
    deformable_convolution_2d_sampler,
)


def _read(img, y, x):
    """Bilinear read of a (c, h, w) image at (y, x); zero outside."""
    c, h, w = img.shape
    y0, x0 = math.floor(y), math.floor(x)
    out = numpy.zeros(c)
    for yy, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
        for xx, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
            if 0 <= yy < h and 0 <= xx < w:
                out += wy * wx * img[:, yy, xx]
    return out


def _reference(x, offset, W, b, stride, pad):
    (sy, sx), (ph, pw) = stride, pad
    oc, c, kh, kw = W.shape
    n = x.shape[0]
    oh, ow = offset.shape[2:]
    xp = numpy.pad(x.astype(numpy.float64), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    hp, wp = xp.shape[2:]
    y = numpy.zeros((n, oc, oh, ow))
    for i in range(n):
        for p in range(oh):
            for q in range(ow):
                for a in range(kh):
                    for bb in range(kw):
                        k = a * kw + bb
                        # positions are clamped to the padded image (beyond it reads zero
                        # padding one pixel wide, as the spatial transformer sampler does)
                        yy = min(max(p * sy + a + offset[i, kh * kw + k, p, q], -1), hp)
                        xx = min(max(q * sx + bb + offset[i, k, p, q], -1), wp)
                        y[i, :, p, q] += W[:, :, a, bb] @ _read(xp[i], yy, xx)
    if b is not None:
        y += b[None, :, None, None]
    return y


@testing.parameterize(*testing.product({
    "config": [((2, 3, 5, 6), 4, (3, 3), (1, 1), (0, 0)),
               ((1, 2, 6, 5), 3, (2, 3), (2, 1), (1, 2))],
    "nobias": [False, True],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestDeformableConvolution2DSampler(testing.FunctionTestCase):
    # built on spatial_transformer_sampler, which (as in Chainer) has no double backprop
    skip_double_backward_test = True
    dodge_nondifferentiable = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 1e-1, "rtol": 1e-1}
        else:
            self.check_forward_options = {"atol": 1e-4, "rtol": 1e-4}
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        x_shape, oc, (kh, kw), (sy, sx), (ph, pw) = self.config
        n, c, h, w = x_shape
        oh, ow = (h + 2 * ph - kh) // sy + 1, (w + 2 * pw - kw) // sx + 1
        x = numpy.random.uniform(-1, 1, x_shape).astype(self.dtype)
        offset = numpy.random.uniform(-1.5, 1.5, (n, 2 * kh * kw, oh, ow)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (oc, c, kh, kw)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, oc).astype(self.dtype)
        return (x, offset, W) if self.nobias else (x, offset, W, b)

    def forward(self, inputs, device):
        _, _, _, stride, pad = self.config
        return (deformable_convolution_2d_sampler(*inputs, stride=stride, pad=pad),)

    def forward_expected(self, inputs):
        _, _, _, stride, pad = self.config
        x, offset, W = inputs[:3]
        b = None if self.nobias else inputs[3]
        return (_reference(x, offset.astype(numpy.float64), W.astype(numpy.float64),
                           b, stride, pad).astype(self.dtype),)


def test_zero_offset_is_convolution():
    import kusari.functions as F

    x = numpy.random.uniform(-1, 1, (2, 3, 6, 5))
    W = numpy.random.uniform(-1, 1, (4, 3, 3, 3))
    b = numpy.random.uniform(-1, 1, 4)
    offset = numpy.zeros((2, 18, 3, 3))
    y = deformable_convolution_2d_sampler(x, offset, W, b, stride=2, pad=1)
    numpy.testing.assert_allclose(y.array, F.convolution_2d(x, W, b, 2, 1).array, atol=1e-12)


def test_offset_channels_must_match_kernel():
    with pytest.raises(ValueError, match="offset does not match the kernel size"):
        deformable_convolution_2d_sampler(numpy.zeros((1, 1, 4, 4), numpy.float32),
                                          numpy.zeros((1, 8, 2, 2), numpy.float32),
                                          numpy.zeros((1, 1, 3, 3), numpy.float32))
