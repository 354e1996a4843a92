"""im2col, space2depth, depth2space."""

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _im2col_reference(x, k, s, p, cover_all, d):
    (kh, kw), (sy, sx), (ph, pw), (dy, dx) = (
        (v, v) if isinstance(v, int) else v for v in (k, s, p, d))
    b, c, h, w = x.shape

    def out(size, kk, ss, pp, dd):
        dk = kk + (kk - 1) * (dd - 1)
        return (size + 2 * pp - dk + (ss - 1 if cover_all else 0)) // ss + 1

    oh, ow = out(h, kh, sy, ph, dy), out(w, kw, sx, pw, dx)
    y = numpy.zeros((b, c, kh, kw, oh, ow), x.dtype)
    for i in range(kh):
        for j in range(kw):
            for oy in range(oh):
                for ox in range(ow):
                    iy, ix = oy * sy - ph + i * dy, ox * sx - pw + j * dx
                    if 0 <= iy < h and 0 <= ix < w:
                        y[:, :, i, j, oy, ox] = x[:, :, iy, ix]
    return y.reshape(b, c * kh * kw, oh, ow)


@testing.parameterize(*testing.product({
    "params": [(3, 1, 1, False, 1), (3, 2, 1, True, 1), ((2, 3), (1, 2), (0, 1), False, 2),
               (2, 2, 0, False, 1)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestIm2Col(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (2, 2, 5, 4)).astype(self.dtype),)

    def forward(self, inputs, device):
        k, s, p, cover_all, d = self.params
        return (F.im2col(inputs[0], k, s, p, cover_all=cover_all, dilate=d),)

    def forward_expected(self, inputs):
        return (_im2col_reference(inputs[0], *self.params),)


def test_im2col_needs_4d():
    with pytest.raises(InvalidType, match="x.ndim == 4"):
        F.im2col(numpy.zeros((2, 3, 4), numpy.float32), 2)


def test_im2col_matches_chainer_values():
    x = numpy.arange(2 * 2 * 5 * 4, dtype=numpy.float32).reshape(2, 2, 5, 4)
    y = F.im2col(x, 3, 2, 1, cover_all=True)
    expected = [45, 46, 47, 49, 50, 51, 53, 54, 55, 65, 66, 67, 69, 70, 71, 73, 74, 75]
    numpy.testing.assert_array_equal(y.array[1, :, 1, 1], expected)


@testing.parameterize(*testing.product({
    "func": ["space2depth", "depth2space"],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestSpaceDepth(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        shape = (2, 2, 4, 6) if self.func == "space2depth" else (2, 8, 2, 3)
        return (numpy.random.uniform(-1, 1, shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (getattr(F, self.func)(inputs[0], 2),)

    def forward_expected(self, inputs):
        x = inputs[0]
        b, c, h, w = x.shape
        if self.func == "space2depth":
            y = x.reshape(b, c, h // 2, 2, w // 2, 2).transpose(0, 3, 5, 1, 2, 4)
            return (y.reshape(b, 4 * c, h // 2, w // 2),)
        y = x.reshape(b, 2, 2, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2)
        return (y.reshape(b, c // 4, 2 * h, 2 * w),)


def test_space_depth_roundtrip_and_chainer_values():
    x = numpy.arange(2 * 2 * 4 * 6, dtype=numpy.float32).reshape(2, 2, 4, 6)
    y = F.space2depth(x, 2)
    numpy.testing.assert_array_equal(y.array[1, :, 1, 2], [64, 88, 65, 89, 70, 94, 71, 95])
    numpy.testing.assert_array_equal(F.depth2space(y, 2).array, x)
    with pytest.raises(ValueError):
        F.space2depth(numpy.zeros((2, 2, 5, 6), numpy.float32), 2)
    with pytest.raises(ValueError):
        F.depth2space(numpy.zeros((2, 3, 5, 6), numpy.float32), 2)
