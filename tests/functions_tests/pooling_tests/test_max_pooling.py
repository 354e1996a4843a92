import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._ref import max_pool


def _distinct(shape, dtype):
    # well-separated values: no ties, so the numerical gradient is well defined
    n = int(numpy.prod(shape))
    x = numpy.random.permutation(n).astype(numpy.float64) / n * 2 - 1
    return x.reshape(shape).astype(dtype)


@testing.parameterize(*(testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "geom": [dict(ksize=2, stride=None, pad=0, cover_all=True)],
}) + testing.product({
    "dtype": [numpy.float64],
    "geom": [
        dict(ksize=3, stride=2, pad=1, cover_all=True),
        dict(ksize=3, stride=2, pad=1, cover_all=False),
        dict(ksize=(2, 3), stride=(1, 2), pad=(0, 1), cover_all=True),
        dict(ksize=3, stride=1, pad=1, cover_all=False),
    ],
})))
class TestMaxPooling2D(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2, "eps": 1e-4}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 1e-2, "eps": 1e-4}
        else:
            self.check_backward_options = {"eps": 1e-4}
            self.check_double_backward_options = {"eps": 1e-4}

    def generate_inputs(self):
        return _distinct((2, 3, 5, 6), self.dtype),

    def forward(self, inputs, device):
        g = self.geom
        return F.max_pooling_2d(inputs[0], g["ksize"], g["stride"], g["pad"], g["cover_all"]),

    def forward_expected(self, inputs):
        g = self.geom
        k = (g["ksize"],) * 2 if isinstance(g["ksize"], int) else g["ksize"]
        s = k if g["stride"] is None else ((g["stride"],) * 2 if isinstance(g["stride"], int)
                                           else g["stride"])
        p = (g["pad"],) * 2 if isinstance(g["pad"], int) else g["pad"]
        y, _ = max_pool(inputs[0], k, s, p, g["cover_all"])
        return y.astype(self.dtype),


@testing.parameterize(*testing.product({
    "shape": [(7,), (3, 4, 5)],
    "cover_all": [True, False],
}))
class TestMaxPoolingND(testing.FunctionTestCase):

    def setUp(self):
        self.check_backward_options = {"eps": 1e-4}
        self.check_double_backward_options = {"eps": 1e-4}

    def generate_inputs(self):
        return _distinct((2, 2) + self.shape, numpy.float64),

    def forward(self, inputs, device):
        f = F.max_pooling_1d if len(self.shape) == 1 else F.max_pooling_3d
        return f(inputs[0], 2, 2, 0, self.cover_all),

    def forward_expected(self, inputs):
        nd = len(self.shape)
        y, _ = max_pool(inputs[0], (2,) * nd, (2,) * nd, (0,) * nd, self.cover_all)
        return y,


def test_return_indices_match_reference_and_upsampling():
    x = _distinct((2, 3, 5, 5), numpy.float32) + 2  # positive: no maximum reads as zero
    y, idx = F.max_pooling_2d(x, 2, return_indices=True)
    _, ref = max_pool(x, (2, 2), (2, 2), (0, 0), True)
    numpy.testing.assert_array_equal(idx, ref)
    up = F.upsampling_2d(y, idx, 2, outsize=(5, 5)).array
    # every max lands back where it came from; everything else is zero
    mask = up != 0
    numpy.testing.assert_array_equal(up[mask], x[mask])
    assert mask.sum() == y.size


def test_gradient_goes_to_first_max_on_ties():
    x = kusari.Variable(numpy.ones((1, 1, 2, 2), numpy.float32))
    y = F.max_pooling_2d(x, 2)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    numpy.testing.assert_array_equal(x.grad[0, 0], [[1, 0], [0, 0]])


def test_no_grad_inference_matches():
    x = _distinct((2, 3, 6, 6), numpy.float32)
    with kusari.no_backprop_mode():
        y0 = F.max_pooling_2d(kusari.Variable(x), 3, 2, 1).array
    y1 = F.max_pooling_2d(kusari.Variable(x), 3, 2, 1).array
    numpy.testing.assert_array_equal(y0, y1)


def test_errors():
    with pytest.raises(ValueError, match="should be 2"):
        F.max_pooling_2d(numpy.zeros((2, 3, 4), numpy.float32), 2)
    with pytest.raises(InvalidType) as e:
        F.max_pooling_nd(numpy.zeros((2, 3, 4, 4), numpy.int32), 2)
    assert "MaxPoolingND (Forward)" in str(e.value)
    assert "x.dtype.kind == f" in str(e.value)


def test_indexes_are_int32_and_first_max_with_partial_ties():
    # maxima repeated later in the window, and windows larger than the int8 index range
    x = numpy.array([[[[1, 3, 3], [0, 3, 2], [3, 1, 3]]]], numpy.float32)
    _, idx = F.max_pooling_2d(x, 3, return_indices=True)
    assert idx.dtype == numpy.int32
    numpy.testing.assert_array_equal(idx, [[[[1]]]])
    big = numpy.zeros((1, 1, 12, 12), numpy.float32)
    big[0, 0, 11, 10] = 1
    _, idx = F.max_pooling_2d(big, 12, return_indices=True)
    assert idx.dtype == numpy.int32
    numpy.testing.assert_array_equal(idx, [[[[11 * 12 + 10]]]])
    v = kusari.Variable(big)
    y = F.max_pooling_2d(v, 12)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert v.grad[0, 0, 11, 10] == 1 and v.grad.sum() == 1
