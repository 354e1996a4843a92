"""matmul / batch_matmul: transposes, batches, vectors and the type-check message."""

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product_dict(
    [
        {"a_shape": (3, 2), "b_shape": (2, 4), "transa": False, "transb": False},
        {"a_shape": (2, 3), "b_shape": (2, 4), "transa": True, "transb": False},
        {"a_shape": (3, 2), "b_shape": (4, 2), "transa": False, "transb": True},
        {"a_shape": (2, 3), "b_shape": (4, 2), "transa": True, "transb": True},
        {"a_shape": (5, 3, 2), "b_shape": (5, 2, 4), "transa": False, "transb": False},
        {"a_shape": (5, 2, 3), "b_shape": (2, 4), "transa": True, "transb": False},
        {"a_shape": (2, 1, 3, 2), "b_shape": (4, 2, 4), "transa": False, "transb": False},
        {"a_shape": (2,), "b_shape": (2, 4), "transa": False, "transb": False},
        {"a_shape": (3, 2), "b_shape": (2,), "transa": False, "transb": False},
        {"a_shape": (3,), "b_shape": (3,), "transa": False, "transb": False},
        {"a_shape": (5, 3, 2), "b_shape": (2,), "transa": False, "transb": False},
    ],
    [{"dtype": numpy.float16}, {"dtype": numpy.float32}, {"dtype": numpy.float64}],
))
class TestMatMul(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        elif self.dtype == numpy.float32:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        a = numpy.random.uniform(-1, 1, self.a_shape).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, self.b_shape).astype(self.dtype)
        return a, b

    def forward(self, inputs, device):
        a, b = inputs
        return (F.matmul(a, b, transa=self.transa, transb=self.transb),)

    def forward_expected(self, inputs):
        a, b = (x.astype(numpy.float64) for x in inputs)
        if self.transa and a.ndim >= 2:
            a = numpy.swapaxes(a, -1, -2)
        if self.transb and b.ndim >= 2:
            b = numpy.swapaxes(b, -1, -2)
        return (numpy.asarray(numpy.matmul(a, b)).astype(self.dtype),)


class TestBatchMatMul(testing.FunctionTestCase):
    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (3, 2, 4)), numpy.random.uniform(-1, 1, (3, 2, 5))

    def forward(self, inputs, device):
        return (F.batch_matmul(*inputs, transa=True),)

    def forward_expected(self, inputs):
        a, b = inputs
        return (numpy.matmul(a.transpose(0, 2, 1), b),)


def test_matmul_shape_mismatch_message():
    a = numpy.zeros((64, 1000), numpy.float32)
    b = numpy.zeros((100, 10), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.matmul(a, b)
    msg = str(e.value)
    assert "MatMul (Forward)" in msg
    assert "a.shape[-1] == b.shape[-2]" in msg
    assert "1000 != 100" in msg


def test_matmul_dtype_mismatch():
    with pytest.raises(InvalidType, match="a.dtype == b.dtype"):
        F.matmul(numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 2), numpy.float64))


def test_matmul_int_inputs_rejected():
    with pytest.raises(InvalidType, match="a.dtype.kind == f"):
        F.matmul(numpy.zeros((2, 2), numpy.int32), numpy.zeros((2, 2), numpy.int32))


def test_matmul_batch_shapes_must_broadcast():
    with pytest.raises(InvalidType):
        F.matmul(numpy.zeros((3, 2, 2)), numpy.zeros((4, 2, 2)))
