"""Arithmetic operators on Variables: broadcasting, scalar and reflected forms, pow."""

import operator

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

BINARY = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul,
    "truediv": operator.truediv, "pow": operator.pow,
}


def _tols(self):
    if self.dtype == numpy.float16:
        self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
        self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
    elif self.dtype == numpy.float32:
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
        self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}


@testing.parameterize(*testing.product({
    "op": sorted(BINARY),
    "shapes": [((3, 2), (3, 2)), ((3, 2), (2,)), ((1, 2), (3, 1)), ((), (2, 3))],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestBinaryVariableVariable(testing.FunctionTestCase):
    def setUp(self):
        _tols(self)

    def generate_inputs(self):
        a = numpy.random.uniform(0.5, 2, self.shapes[0]).astype(self.dtype)
        b = numpy.random.uniform(0.5, 2, self.shapes[1]).astype(self.dtype)
        return a, b

    def forward(self, inputs, device):
        return (BINARY[self.op](*inputs),)

    def forward_expected(self, inputs):
        return (numpy.asarray(BINARY[self.op](*inputs)).astype(self.dtype),)


@testing.parameterize(*testing.product({
    "op": sorted(BINARY),
    "reflected": [False, True],
    "const": ["int", "float", "array"],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestBinaryWithConstant(testing.FunctionTestCase):
    """``x op c`` and ``c op x`` with a Python scalar or an array constant."""

    def setUp(self):
        _tols(self)

    def _c(self):
        if self.const == "int":
            return 2
        if self.const == "float":
            return 1.5
        return numpy.full((3, 2), 1.5, self.dtype)

    def generate_inputs(self):
        return (numpy.random.uniform(0.5, 2, (3, 2)).astype(self.dtype),)

    def forward(self, inputs, device):
        x, = inputs
        c = self._c()
        return (BINARY[self.op](c, x) if self.reflected else BINARY[self.op](x, c),)

    def forward_expected(self, inputs):
        x, = inputs
        c = self._c()
        if not isinstance(c, numpy.ndarray):
            c = numpy.asarray(c, self.dtype)
        y = BINARY[self.op](c, x) if self.reflected else BINARY[self.op](x, c)
        return (numpy.asarray(y).astype(self.dtype),)


@testing.parameterize(*testing.product({
    "op": ["neg", "abs", "pos"],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestUnaryOperators(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        _tols(self)

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, (3, 2)).astype(self.dtype)
        x[numpy.abs(x) < 0.1] = 0.5
        return (x,)

    def forward(self, inputs, device):
        x, = inputs
        return ({"neg": operator.neg, "abs": abs, "pos": operator.pos}[self.op](x),)

    def forward_expected(self, inputs):
        x, = inputs
        return ({"neg": operator.neg, "abs": numpy.abs, "pos": operator.pos}[self.op](x),)


class TestAddMany(testing.FunctionTestCase):
    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s) for s in [(3, 2), (2,), (3, 1)])

    def forward(self, inputs, device):
        return (F.add(*inputs),)

    def forward_expected(self, inputs):
        a, b, c = inputs
        return (a + b + c,)


def test_scalar_ops_keep_float32():
    x = kusari.Variable(numpy.ones(2, numpy.float32))
    for y in (x + 1, 1 + x, x - 1.5, 2 - x, x * numpy.float64(2), x / 3, 3 / x, x ** 2,
              2 ** x, x + numpy.ones(2, numpy.float64)):
        assert y.dtype == numpy.float32


def test_int_variable_addition_raises_invalid_type():
    a = kusari.Variable(numpy.ones(2, numpy.int32))
    with pytest.raises(InvalidType) as e:
        a + a
    assert "Add (Forward)" in str(e.value)
    assert "lhs.dtype.kind == f" in str(e.value)


def test_dtype_mismatch_names_lhs_and_rhs():
    a = kusari.Variable(numpy.ones(2, numpy.float32))
    b = kusari.Variable(numpy.ones(2, numpy.float64))
    with pytest.raises(InvalidType, match="lhs.dtype == rhs.dtype"):
        a * b


def test_non_broadcastable_shapes_raise_invalid_type():
    a = kusari.Variable(numpy.ones((2, 3), numpy.float32))
    b = kusari.Variable(numpy.ones((4,), numpy.float32))
    with pytest.raises(InvalidType, match="Sub \\(Forward\\)"):
        a - b


def test_unsupported_operand_type():
    a = kusari.Variable(numpy.ones(2, numpy.float32))
    with pytest.raises(TypeError):
        a + "x"


def test_pow_var_var_gradients():
    a = kusari.Variable(numpy.array([2.0, 3.0]))
    b = kusari.Variable(numpy.array([3.0, 0.5]))
    y = F.sum(a ** b)
    y.backward()
    numpy.testing.assert_allclose(a.grad, [3 * 4.0, 0.5 * 3.0 ** -0.5])
    numpy.testing.assert_allclose(b.grad, [8 * numpy.log(2.0), 3.0 ** 0.5 * numpy.log(3.0)])


def test_matmul_operator():
    a = kusari.Variable(numpy.ones((2, 3), numpy.float32))
    b = numpy.ones((3, 4), numpy.float32)
    assert (a @ b).shape == (2, 4)
    assert (b.T @ a.T).shape == (4, 2)
