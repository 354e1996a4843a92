import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "shape": [(4, 3), (2, 3, 2)],
    "normalize": [True, False],
    "reduce": ["mean", "no"],
}))
class TestSigmoidCrossEntropy(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 5e-2}
        self.t = numpy.random.randint(-1, 2, self.shape).astype(numpy.int32)
        self.t.reshape(-1)[0] = 1

    def generate_inputs(self):
        return numpy.random.uniform(-3, 3, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.sigmoid_cross_entropy(inputs[0], self.t, self.normalize, self.reduce),

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        t = self.t
        p = 1 / (1 + numpy.exp(-x))
        loss = -(t * numpy.log(p) + (1 - t) * numpy.log(1 - p)) * (t != -1)
        if self.reduce == "no":
            return loss.astype(self.dtype),
        div = (t != -1).sum() if self.normalize else x.shape[0]
        return numpy.asarray(loss.sum() / div, self.dtype),


def test_stable_for_large_logits():
    x = numpy.array([[100.0, -100.0]], numpy.float32)
    t = numpy.array([[1, 0]], numpy.int32)
    v = kusari.Variable(x)
    loss = F.sigmoid_cross_entropy(v, t)
    loss.backward()
    assert numpy.isfinite(loss.array) and float(loss.array) < 1e-6
    assert numpy.all(numpy.isfinite(v.grad))


def test_errors():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match="only 'mean' and 'no'"):
        F.sigmoid_cross_entropy(x, numpy.zeros((2, 3), numpy.int32), reduce="sum")
    with pytest.raises(InvalidType) as e:
        F.sigmoid_cross_entropy(x, numpy.zeros((2, 3), numpy.float32))
    assert "SigmoidCrossEntropy (Forward)" in str(e.value)
    assert "t.dtype.kind == i" in str(e.value)
    with pytest.raises(InvalidType, match="x.shape == t.shape"):
        F.sigmoid_cross_entropy(x, numpy.zeros((2, 2), numpy.int32))
