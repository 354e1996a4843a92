import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


# Chainer's bilinear accepts float32 only, so the checks run in float32 with loose
# tolerances (numerical gradients in float32 are coarse).
@testing.parameterize(*testing.product({
    "e1_shape": [(3, 4), (3, 2, 2)],
    "linear_terms": [True, False],
}))
class TestBilinear(testing.FunctionTestCase):
    numerical_grad_dtype = numpy.float32

    def setUp(self):
        self.check_forward_options = {"atol": 1e-5, "rtol": 1e-5}
        self.check_backward_options = {"eps": 1e-2, "atol": 1e-2, "rtol": 1e-2}
        self.check_double_backward_options = {"eps": 1e-2, "atol": 1e-2, "rtol": 1e-2}

    def generate_inputs(self):
        f = numpy.float32
        e1 = numpy.random.uniform(-1, 1, self.e1_shape).astype(f)
        e2 = numpy.random.uniform(-1, 1, (3, 5)).astype(f)
        W = numpy.random.uniform(-1, 1, (4, 5, 2)).astype(f)
        if not self.linear_terms:
            return e1, e2, W
        V1 = numpy.random.uniform(-1, 1, (4, 2)).astype(f)
        V2 = numpy.random.uniform(-1, 1, (5, 2)).astype(f)
        b = numpy.random.uniform(-1, 1, (2,)).astype(f)
        return e1, e2, W, V1, V2, b

    def forward(self, inputs, device):
        return F.bilinear(*inputs),

    def forward_expected(self, inputs):
        e1 = inputs[0].reshape(3, -1).astype(numpy.float64)
        e2, W = inputs[1], inputs[2]
        y = numpy.zeros((3, 2))
        for i in range(3):
            y[i] = numpy.einsum("j,k,jkl->l", e1[i], e2[i], W)
        if self.linear_terms:
            V1, V2, b = inputs[3:]
            y += e1 @ V1 + e2 @ V2 + b
        return y.astype(numpy.float32),


def test_partial_linear_terms_rejected():
    e = numpy.zeros((2, 3), numpy.float32)
    W = numpy.zeros((3, 3, 2), numpy.float32)
    with pytest.raises(ValueError, match="must be None"):
        F.bilinear(e, e, W, V1=numpy.zeros((3, 2), numpy.float32))


def test_float64_rejected_names_argument():
    e = numpy.zeros((2, 3))
    W = numpy.zeros((3, 3, 2), numpy.float32)
    with pytest.raises(InvalidType) as err:
        F.bilinear(e, e.astype(numpy.float32), W)
    assert "BilinearFunction (Forward)" in str(err.value)
    assert "e1.dtype" in str(err.value)


def test_shape_mismatch_rejected():
    e1 = numpy.zeros((2, 3), numpy.float32)
    e2 = numpy.zeros((2, 4), numpy.float32)
    W = numpy.zeros((3, 3, 2), numpy.float32)
    with pytest.raises(InvalidType, match="W.shape"):
        F.bilinear(e1, e2, W)
