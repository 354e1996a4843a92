import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


@testing.parameterize(*testing.product({
    "shape": [(3, 4), ()],
    "dtype": DTYPES,
    "ratio": [0.0, 0.3, 0.9],
}))
class TestDropout(testing.FunctionTestCase):

    def setUp(self):
        # a fixed mask: the function is linear in x given the mask
        flag = numpy.random.rand(*self.shape) >= self.ratio
        self.mask = numpy.asarray(flag / (1 - self.ratio)).astype(self.dtype)
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-3, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-3, "rtol": 5e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.dropout(inputs[0], self.ratio, mask=self.mask.astype(inputs[0].dtype)),)

    def forward_expected(self, inputs):
        return ((inputs[0] * self.mask).astype(self.dtype),)


def test_dropout_mask_statistics_and_scale():
    numpy.random.seed(1)
    x = numpy.ones((200, 100), numpy.float32)
    y, mask = F.dropout(x, 0.3, return_mask=True)
    assert mask.dtype == numpy.float32 and mask.shape == x.shape
    assert set(numpy.unique(mask).tolist()) == {0.0, numpy.float32(1 / 0.7)}
    assert abs((mask == 0).mean() - 0.3) < 0.02
    numpy.testing.assert_array_equal(y.array, x * mask)


def test_dropout_seed_reproduces():
    x = numpy.ones(50, numpy.float32)
    numpy.random.seed(7)
    a = F.dropout(x).array
    numpy.random.seed(7)
    b = F.dropout(x).array
    numpy.testing.assert_array_equal(a, b)


def test_dropout_reuses_returned_mask():
    x = numpy.random.randn(5, 4).astype(numpy.float32)
    y1, m = F.dropout(x, 0.5, return_mask=True)
    y2 = F.dropout(x, 0.9, mask=m)
    numpy.testing.assert_array_equal(y1.array, y2.array)


def test_dropout_backward_uses_mask():
    x = kusari.Variable(numpy.ones(20, numpy.float32))
    y, m = F.dropout(x, 0.5, return_mask=True)
    y.grad = numpy.ones(20, numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, m)


def test_dropout_test_mode_is_identity():
    x = numpy.random.randn(3).astype(numpy.float32)
    with kusari.using_config("train", False):
        y, m = F.dropout(x, return_mask=True)
        y2 = F.dropout(x)
    assert m is None
    assert isinstance(y, kusari.Variable) and isinstance(y2, kusari.Variable)
    assert y.array is x


def test_dropout_errors():
    x = numpy.zeros(3, numpy.float32)
    for r in (-0.1, 1.0):
        with pytest.raises(ValueError):
            F.dropout(x, r)
    with pytest.raises(ValueError, match="using_config"):
        F.dropout(x, train=True)
    with pytest.raises(TypeError):
        F.dropout(x, foo=1)
    with pytest.raises(InvalidType) as e:
        F.dropout(numpy.zeros(3, numpy.int32))
    assert "Dropout (Forward)" in str(e.value)
