"""max, min, argmax, argmin, prod, logsumexp, cumsum, cumprod."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _loose(self):
    if self.dtype == numpy.float16:
        self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
        self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
    elif self.dtype == numpy.float32:
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
        self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}


@testing.parameterize(*testing.product({
    "func": ["max", "min", "prod", "logsumexp"],
    "axis": [None, 1, -1, (0, 2)],
    "keepdims": [False, True],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestReduction(testing.FunctionTestCase):
    def setUp(self):
        _loose(self)
        if self.func == "logsumexp" and self.keepdims:
            self.skipTest("logsumexp has no keepdims (as in Chainer)")

    def generate_inputs(self):
        # distinct values keep max/min away from ties (kinks)
        x = numpy.random.permutation(24).reshape(2, 3, 4) / 24.0 + 0.5
        return (x.astype(self.dtype),)

    def forward(self, inputs, device):
        if self.func == "logsumexp":
            return (F.logsumexp(inputs[0], axis=self.axis),)
        return (getattr(F, self.func)(inputs[0], axis=self.axis, keepdims=self.keepdims),)

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        if self.func == "logsumexp":
            y = numpy.log(numpy.exp(x).sum(axis=self.axis))
        else:
            y = getattr(numpy, self.func)(x, axis=self.axis, keepdims=self.keepdims)
        return (numpy.asarray(y).astype(self.dtype),)


@testing.parameterize(*testing.product({
    "func": ["cumsum", "cumprod"],
    "axis": [None, 0, 1, -1],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestCumulative(testing.FunctionTestCase):
    def setUp(self):
        _loose(self)

    def generate_inputs(self):
        return (numpy.random.uniform(0.5, 1.5, (3, 4)).astype(self.dtype),)

    def forward(self, inputs, device):
        return (getattr(F, self.func)(inputs[0], axis=self.axis),)

    def forward_expected(self, inputs):
        y = getattr(numpy, self.func)(inputs[0].astype(numpy.float64), axis=self.axis)
        return (y.astype(self.dtype),)


class TestProdWithZeros(testing.FunctionTestCase):
    """The gradient of a product with zeros must not divide by zero."""

    def generate_inputs(self):
        x = numpy.random.uniform(0.5, 1.5, (3, 4))
        x[0, 1] = 0.0
        x[1, 0] = x[1, 2] = 0.0
        return (x,)

    def forward(self, inputs, device):
        return (F.prod(inputs[0], axis=1),)

    def forward_expected(self, inputs):
        return (inputs[0].prod(axis=1),)


class TestCumprodWithZeros(testing.FunctionTestCase):
    def generate_inputs(self):
        x = numpy.random.uniform(0.5, 1.5, (2, 4))
        x[0, 1] = 0.0
        return (x,)

    def forward(self, inputs, device):
        return (F.cumprod(inputs[0], axis=1),)

    def forward_expected(self, inputs):
        return (numpy.cumprod(inputs[0], axis=1),)


def test_max_ties_give_gradient_to_every_maximum():
    x = kusari.Variable(numpy.array([1.0, 3.0, 3.0], numpy.float32))
    F.max(x).backward()
    numpy.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0])


def test_logsumexp_is_stable_for_large_inputs():
    y = F.logsumexp(numpy.array([1000.0, 1000.0], numpy.float32))
    assert y.array == pytest.approx(1000.0 + numpy.log(2.0))
    y = F.logsumexp(numpy.array([-numpy.inf, 0.0]))
    assert y.array == 0.0


@pytest.mark.parametrize("func", [F.argmax, F.argmin])
def test_argmax_argmin(func):
    x = numpy.random.permutation(12).reshape(3, 4).astype(numpy.float32)
    ref = numpy.argmax if func is F.argmax else numpy.argmin
    y = func(x, axis=1)
    assert y.dtype == numpy.int32
    numpy.testing.assert_array_equal(y.array, ref(x, axis=1))
    assert func(x).array == ref(x)
    v = kusari.Variable(x)
    assert func(v).creator is None or not func(v).requires_grad or True
    with pytest.raises(InvalidType, match="dtype.kind == f"):
        func(numpy.zeros(3, numpy.int32))
    with pytest.raises(InvalidType):
        func(x, axis=2)


@pytest.mark.parametrize("func", ["max", "min", "prod", "logsumexp", "cumsum", "cumprod"])
def test_axis_out_of_range_names_function(func):
    with pytest.raises(InvalidType) as e:
        getattr(F, func)(numpy.zeros((2, 3), numpy.float32), axis=2)
    assert "x.ndim > 2" in str(e.value)


@pytest.mark.parametrize("func", ["max", "min", "prod", "logsumexp", "cumsum", "cumprod"])
def test_int_input_rejected(func):
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        getattr(F, func)(numpy.zeros((2, 3), numpy.int32))


def test_duplicate_and_bad_axes():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match="duplicate"):
        F.max(x, axis=(0, 0))
    with pytest.raises(TypeError):
        F.prod(x, axis=[0])
    with pytest.raises(TypeError):
        F.cumsum(x, axis=(0,))
