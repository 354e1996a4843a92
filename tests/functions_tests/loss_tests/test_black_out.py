import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

T = numpy.array([0, 2, 4], numpy.int32)
SAMPLES = numpy.array([[1, 3], [0, 4], [2, 2]], numpy.int32)


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["mean", "no"],
}))
class TestBlackOut(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        else:
            self.check_backward_options = {"atol": 1e-4, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-4, "rtol": 1e-3}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (3, 4)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (5, 4)).astype(self.dtype)
        return x, W

    def forward(self, inputs, device):
        x, W = inputs
        return F.black_out(x, T, W, SAMPLES, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, W = (a.astype(numpy.float64) for a in inputs)
        loss = []
        for i in range(3):
            ids = [T[i]] + list(SAMPLES[i])
            z = numpy.exp(W[ids] @ x[i])
            p = z / z.sum()
            loss.append(-numpy.log(p[0]) - numpy.log(1 - p[1:]).sum())
        loss = numpy.array(loss)
        if self.reduce == "mean":
            loss = loss.mean()
        return numpy.asarray(loss, self.dtype),


def test_reduce_checked():
    x = numpy.zeros((3, 4), numpy.float32)
    W = numpy.zeros((5, 4), numpy.float32)
    with pytest.raises(ValueError, match="only 'mean' and 'no'"):
        F.black_out(x, T, W, SAMPLES, reduce="sum")


def test_float_labels_rejected():
    x = numpy.zeros((3, 4), numpy.float32)
    W = numpy.zeros((5, 4), numpy.float32)
    with pytest.raises(InvalidType, match="x.dtype.kind == i"):
        F.black_out(x, T.astype(numpy.float32), W, SAMPLES)
