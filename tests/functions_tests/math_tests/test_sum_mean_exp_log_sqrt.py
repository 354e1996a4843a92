"""sum, mean, average, sum_to (the existing reductions)."""

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "axis": [None, 0, 1, -1, (0, 2), (-1, 0)],
    "keepdims": [False, True],
    "func": ["sum", "mean"],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestSumMean(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (3, 2, 4)).astype(self.dtype),)

    def forward(self, inputs, device):
        return (getattr(F, self.func)(inputs[0], axis=self.axis, keepdims=self.keepdims),)

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        y = getattr(numpy, self.func)(x, axis=self.axis, keepdims=self.keepdims)
        return (numpy.asarray(y).astype(self.dtype),)


class TestAverageWeighted(testing.FunctionTestCase):
    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (3, 4)), numpy.random.uniform(0.5, 1, (4,))

    def forward(self, inputs, device):
        x, w = inputs
        return (F.average(x, axis=1, weights=w),)

    def forward_expected(self, inputs):
        x, w = inputs
        return (numpy.average(x, axis=1, weights=w),)


class TestSumTo(testing.FunctionTestCase):
    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (3, 2, 4)),)

    def forward(self, inputs, device):
        return (F.sum_to(inputs[0], (2, 1)),)

    def forward_expected(self, inputs):
        return (inputs[0].sum(axis=0).sum(axis=1, keepdims=True),)


def test_sum_int_input_rejected():
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        F.sum(numpy.zeros(3, numpy.int32))


def test_sum_axis_out_of_range():
    with pytest.raises(InvalidType, match="Sum \\(Forward\\)"):
        F.sum(numpy.zeros((2, 3), numpy.float32), axis=2)


def test_sum_bad_axis_type_and_duplicates():
    with pytest.raises(TypeError):
        F.sum(numpy.zeros((2, 3), numpy.float32), axis=[0])
    with pytest.raises(ValueError):
        F.sum(numpy.zeros((2, 3), numpy.float32), axis=(0, 0))


def test_sum_to_rejects_impossible_shape():
    with pytest.raises(ValueError):
        F.sum_to(numpy.zeros((2, 3)), (4,))
