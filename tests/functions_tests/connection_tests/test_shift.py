import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _shift_ref(x, ksize, dilate):
    kh, kw = (ksize, ksize) if isinstance(ksize, int) else ksize
    dy, dx = (dilate, dilate) if isinstance(dilate, int) else dilate
    n_groups = kh * kw
    c = x.shape[1]
    size = c // n_groups
    centre = (n_groups - 1) // 2
    y = numpy.zeros_like(x)
    h, w = x.shape[2:]
    for g in range(n_groups):
        cell = {centre: n_groups - 1, n_groups - 1: centre}.get(g, g)
        ky, kx = cell // kw - kh // 2, cell % kw - kw // 2
        stop = (g + 1) * size if g < n_groups - 1 else c
        for i in range(h):
            for j in range(w):
                si, sj = i - ky * dy, j - kx * dx
                if 0 <= si < h and 0 <= sj < w:
                    y[:, g * size:stop, i, j] = x[:, g * size:stop, si, sj]
    return y


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "geom": [(3, 1), ((3, 5), (2, 1)), (1, 1), (3, (1, -2))],
}))
class TestShift(testing.FunctionTestCase):

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 17, 4, 5)).astype(self.dtype),

    def forward(self, inputs, device):
        return F.shift(inputs[0], *self.geom),

    def forward_expected(self, inputs):
        return _shift_ref(inputs[0], *self.geom),


def test_matches_chainer_layout():
    # recorded from Chainer 7.8.1: the first group moves up and left
    x = numpy.arange(81, dtype=numpy.float32).reshape(1, 9, 3, 3)
    y = F.shift(x).array
    assert y[0, 0].tolist() == [[4.0, 5.0, 0.0], [7.0, 8.0, 0.0], [0.0, 0.0, 0.0]]
    numpy.testing.assert_array_equal(y[0, 8], x[0, 8])  # the last group is the centre


def test_even_ksize_rejected():
    with pytest.raises(ValueError, match="kh must be odd"):
        F.shift(numpy.zeros((1, 9, 3, 3), numpy.float32), ksize=(2, 3))
    with pytest.raises(ValueError, match="kw must be odd"):
        F.shift(numpy.zeros((1, 9, 3, 3), numpy.float32), ksize=(3, 4))


def test_too_few_channels_names_function_and_argument():
    with pytest.raises(InvalidType) as e:
        F.shift(numpy.zeros((1, 8, 3, 3), numpy.float32))
    assert "Shift (Forward)" in str(e.value)
    assert "x.shape[1] >= 9" in str(e.value)
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        F.shift(numpy.zeros((1, 9, 3, 3), numpy.int32))
