"""Elementwise functions of one input: forward vs NumPy/SciPy, gradients, double gradients."""

import math

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.functions.math import _special
from kusari.utils.type_check import InvalidType

try:
    import scipy.special as sp
except ImportError:  # SciPy is optional: its references are then skipped
    sp = None


def _sp(name):
    return lambda x: getattr(sp, name)(x)


needs_scipy = pytest.mark.skipif(sp is None, reason="SciPy is not installed")

# name: (function, reference, low, high)
CASES = {
    "sin": (F.sin, numpy.sin, -3, 3),
    "cos": (F.cos, numpy.cos, -3, 3),
    "tan": (F.tan, numpy.tan, -1.2, 1.2),
    "arcsin": (F.arcsin, numpy.arcsin, -0.9, 0.9),
    "arccos": (F.arccos, numpy.arccos, -0.9, 0.9),
    "arctan": (F.arctan, numpy.arctan, -3, 3),
    "sinh": (F.sinh, numpy.sinh, -2, 2),
    "cosh": (F.cosh, numpy.cosh, -2, 2),
    "arctanh": (F.arctanh, numpy.arctanh, -0.9, 0.9),
    "square": (F.square, numpy.square, -2, 2),
    "exp": (F.exp, numpy.exp, -2, 2),
    "expm1": (F.expm1, numpy.expm1, -2, 2),
    "log": (F.log, numpy.log, 0.5, 3),
    "log2": (F.log2, numpy.log2, 0.5, 3),
    "log10": (F.log10, numpy.log10, 0.5, 3),
    "log1p": (F.log1p, numpy.log1p, -0.5, 3),
    "sqrt": (F.sqrt, numpy.sqrt, 0.5, 3),
    "rsqrt": (F.rsqrt, lambda x: 1 / numpy.sqrt(x), 0.5, 3),
    "absolute": (F.absolute, numpy.abs, -2, 2),
    "erf": (F.erf, _sp("erf"), -2, 2),
    "erfc": (F.erfc, _sp("erfc"), -2, 2),
    "erfcx": (F.erfcx, _sp("erfcx"), -1, 3),
    "erfinv": (F.erfinv, _sp("erfinv"), -0.9, 0.9),
    "erfcinv": (F.erfcinv, _sp("erfcinv"), 0.1, 1.9),
    "lgamma": (F.lgamma, _sp("gammaln"), 0.5, 4),
    "digamma": (F.digamma, _sp("digamma"), 0.5, 4),
    "ndtr": (F.ndtr, _sp("ndtr"), -3, 3),
    "log_ndtr": (F.log_ndtr, _sp("log_ndtr"), -6, 3),
    "ndtri": (F.ndtri, _sp("ndtri"), 0.1, 0.9),
}


SPECIAL = {"erf", "erfc", "erfcx", "erfinv", "erfcinv", "lgamma", "digamma", "ndtr",
           "log_ndtr", "ndtri"}


@testing.parameterize(*testing.product({
    "name": sorted(CASES),
    "shape": [(3, 2), ()],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestUnary(testing.FunctionTestCase):
    def setUp(self):
        self.func, self.ref, self.low, self.high = CASES[self.name]
        if sp is None and self.name in SPECIAL:
            self.skipTest("SciPy is not installed")
        if self.name == "absolute":
            self.dodge_nondifferentiable = True
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        elif self.dtype == numpy.float32:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        x = numpy.random.uniform(self.low, self.high, self.shape).astype(self.dtype)
        if self.name == "absolute":
            x[numpy.abs(x) < 0.1] = 0.5
        return (x,)

    def forward(self, inputs, device):
        return (self.func(inputs[0]),)

    def forward_expected(self, inputs):
        x, = inputs
        return (numpy.asarray(self.ref(x.astype(numpy.float64))).astype(self.dtype),)


@pytest.mark.parametrize("name", sorted(CASES))
def test_int_input_raises_invalid_type(name):
    func = CASES[name][0]
    with pytest.raises(InvalidType) as e:
        func(numpy.zeros(3, numpy.int32))
    msg = str(e.value)
    assert "(Forward)" in msg
    assert "x.dtype.kind == f" in msg


def test_labels_name_the_function():
    with pytest.raises(InvalidType, match="sin \\(Forward\\)"):
        F.sin(numpy.zeros(2, numpy.int32))
    with pytest.raises(InvalidType, match="square \\(Forward\\)"):
        F.square(numpy.zeros(2, numpy.int32))


@needs_scipy
@pytest.mark.parametrize("name,low,high", [
    ("erf", -3, 3), ("erfc", -3, 3), ("erfcx", -3, 40), ("erfinv", -0.99, 0.99),
    ("erfcinv", 0.05, 1.95), ("lgamma", 0.1, 20), ("digamma", 0.1, 20), ("ndtr", -5, 5),
    ("log_ndtr", -30, 5), ("ndtri", 0.01, 0.99),
])
def test_numpy_fallbacks_match_scipy(monkeypatch, name, low, high):
    x = numpy.linspace(low, high, 41)
    expected = getattr(_special, name)(x)
    monkeypatch.setattr(_special, "_scipy", [None])  # force the pure-NumPy fallbacks
    actual = getattr(_special, name)(x)
    numpy.testing.assert_allclose(actual, expected, rtol=1e-8, atol=1e-10)


@needs_scipy
def test_polygamma_and_zeta_fallbacks_match_scipy(monkeypatch):
    x = numpy.linspace(0.2, 10, 25)
    expected = [_special.polygamma(n, x) for n in range(4)] + [_special.zeta(3.5, x)]
    monkeypatch.setattr(_special, "_scipy", [None])  # force the pure-NumPy fallbacks
    actual = [_special.polygamma(n, x) for n in range(4)] + [_special.zeta(3.5, x)]
    for a, e in zip(actual, expected):
        numpy.testing.assert_allclose(a, e, rtol=1e-9)


@needs_scipy
def test_digamma_fallback_reflection_for_negative_arguments():
    x = numpy.array([-0.5, -1.3, -2.7])
    numpy.testing.assert_allclose(_special._np_digamma(x), sp.digamma(x), rtol=1e-9)


@pytest.mark.parametrize("func,ref", [
    (F.floor, numpy.floor), (F.ceil, numpy.ceil), (F.sign, numpy.sign), (F.fix, numpy.fix),
])
def test_piecewise_constant_functions_have_no_graph(func, ref):
    x = numpy.array([-1.5, -0.5, 0.0, 0.5, 2.5], numpy.float32)
    y = func(x)
    assert y.dtype == numpy.float32
    assert y.creator is None
    assert not y.requires_grad
    numpy.testing.assert_array_equal(y.array, ref(x))
    assert func(numpy.array([1, -2], numpy.int32)).dtype == numpy.int32


def test_erf_value_at_one():
    y = F.erf(numpy.array([1.0]))
    assert y.array[0] == pytest.approx(math.erf(1.0))
