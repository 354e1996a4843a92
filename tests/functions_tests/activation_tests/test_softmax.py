import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._common import DTYPES, loosen_for_float16


def _np_log_softmax(x, axis):
    m = x.max(axis=axis, keepdims=True)
    return x - m - numpy.log(numpy.exp(x - m).sum(axis=axis, keepdims=True))


@testing.parameterize(*testing.product({
    "shape_axis": [((2, 3), 1), ((2, 3), 0), ((2, 3, 4), 2), ((2, 3, 4), -1), ((4,), 0)],
    "dtype": DTYPES,
    "log": [False, True],
}))
class TestSoftmax(testing.FunctionTestCase):

    def setUp(self):
        self.shape, self.axis = self.shape_axis
        loosen_for_float16(self, {"atol": 5e-3, "rtol": 5e-3})

    def generate_inputs(self):
        return (numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        f = F.log_softmax if self.log else F.softmax
        return (f(inputs[0], axis=self.axis),)

    def forward_expected(self, inputs):
        y = _np_log_softmax(inputs[0].astype(numpy.float64), self.axis)
        if not self.log:
            y = numpy.exp(y)
        return (y.astype(self.dtype),)


@pytest.mark.parametrize("f", [F.softmax, F.log_softmax])
def test_large_logits_do_not_overflow(f):
    x = numpy.array([[1000.0, 0.0, -1000.0]], numpy.float32)
    with numpy.errstate(over="raise", invalid="raise"):
        y = f(x).array
    assert numpy.isfinite(y).all()
    assert y[0, 0] == pytest.approx(1.0 if f is F.softmax else 0.0)


@pytest.mark.parametrize("f, label", [(F.softmax, "Softmax"), (F.log_softmax, "LogSoftmax")])
def test_axis_out_of_range(f, label):
    with pytest.raises(InvalidType) as e:
        f(numpy.zeros((2, 3), numpy.float32), axis=2)
    assert f"{label} (Forward)" in str(e.value)


@pytest.mark.parametrize("f", [F.softmax, F.log_softmax])
def test_int_rejected(f):
    with pytest.raises(InvalidType) as e:
        f(numpy.zeros((2, 3), numpy.int32))
    assert "x.dtype.kind == f" in str(e.value)
