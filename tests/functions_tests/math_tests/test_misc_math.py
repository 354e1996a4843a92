"""Binary and miscellaneous math: maximum, minimum, fmod, arctan2, clip, bias, scale,
linear_interpolate, batch_l2_norm_squared, identity, polygamma, zeta, fft."""

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


BINARY = {
    "maximum": (F.maximum, numpy.maximum),
    "minimum": (F.minimum, numpy.minimum),
    "arctan2": (F.arctan2, numpy.arctan2),
    "fmod": (F.fmod, numpy.fmod),
}


@testing.parameterize(*testing.product({
    "name": sorted(BINARY),
    "shapes": [((3, 2), (3, 2)), ((3, 2), (2,))],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestBinary(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        _loose(self)
        if self.name == "fmod" and self.shapes[0] != self.shapes[1]:
            self.skipTest("fmod takes inputs of one shape")

    def generate_inputs(self):
        a = numpy.random.uniform(-2, 2, self.shapes[0]).astype(self.dtype)
        b = numpy.random.uniform(0.5, 2, self.shapes[1]).astype(self.dtype)
        b *= numpy.random.choice([-1, 1], self.shapes[1]).astype(self.dtype)
        if self.name in ("maximum", "minimum"):
            # keep the two inputs apart (the kink is at a == b)
            a = numpy.where(numpy.abs(a - b) < 0.2, b + 0.5, a).astype(self.dtype)
        if self.name == "fmod":
            # keep away from the jumps at integer quotients
            q = a / b
            a = numpy.where(numpy.abs(q - numpy.round(q)) < 0.1, a + 0.3 * b, a)
            a = a.astype(self.dtype)
        return a, b

    def forward(self, inputs, device):
        return (BINARY[self.name][0](*inputs),)

    def forward_expected(self, inputs):
        return (BINARY[self.name][1](*inputs).astype(self.dtype),)


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmod"])
def test_binary_dtype_mismatch(name):
    with pytest.raises(InvalidType) as e:
        BINARY[name][0](numpy.ones(2, numpy.float32), numpy.ones(2, numpy.float64))
    assert "(Forward)" in str(e.value)


def test_arctan2_rejects_int():
    with pytest.raises(InvalidType, match="x1.dtype.kind == f"):
        F.arctan2(numpy.ones(2, numpy.int32), numpy.ones(2, numpy.float32))


@testing.parameterize(*testing.product({
    "bounds": [(-0.5, 0.5), (None, 0.3), (-0.3, None)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestClip(testing.FunctionTestCase):
    dodge_nondifferentiable = True

    def setUp(self):
        _loose(self)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (3, 4)).astype(self.dtype)
        for b in self.bounds:
            if b is not None:
                x[numpy.abs(x - b) < 0.05] = 0.9
        return (x,)

    def forward(self, inputs, device):
        return (F.clip(inputs[0], *self.bounds),)

    def forward_expected(self, inputs):
        lo, hi = self.bounds
        return (numpy.clip(inputs[0], lo, hi).astype(self.dtype),)


def test_clip_errors():
    with pytest.raises(ValueError):
        F.clip(numpy.zeros(2, numpy.float32), 1.0, 0.0)
    with pytest.raises(ValueError):
        F.clip(numpy.zeros(2, numpy.float32), None, None)
    with pytest.raises(InvalidType, match="Clip"):
        F.clip(numpy.zeros(2, numpy.int32), 0, 1)


def test_clip_gradient_inside_closed_interval():
    x = kusari.Variable(numpy.array([0.0, 1.0, 2.0], numpy.float32))
    F.sum(F.clip(x, 0.0, 1.0)).backward()
    numpy.testing.assert_array_equal(x.grad, [1.0, 1.0, 0.0])


class TestLinearInterpolate(testing.FunctionTestCase):
    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, (3, 2)) for _ in range(3))

    def forward(self, inputs, device):
        return (F.linear_interpolate(*inputs),)

    def forward_expected(self, inputs):
        p, x, y = inputs
        return (p * x + (1 - p) * y,)


def test_linear_interpolate_type_errors():
    f = numpy.ones(2, numpy.float32)
    with pytest.raises(InvalidType, match="y.dtype == p.dtype"):
        F.linear_interpolate(f, f, numpy.ones(2))


@testing.parameterize(
    {"x_shape": (2, 3, 4), "y_shape": (3,), "axis": 1},
    {"x_shape": (2, 3, 4), "y_shape": (3, 4), "axis": 1},
    {"x_shape": (2, 3, 4), "y_shape": (2, 3), "axis": 0},
    {"x_shape": (2, 3, 4), "y_shape": (4,), "axis": 2},
)
class TestBiasScale(testing.FunctionTestCase):
    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.x_shape),
                numpy.random.uniform(-1, 1, self.y_shape))

    def forward(self, inputs, device):
        x, y = inputs
        return F.bias(x, y, self.axis), F.scale(x, y, self.axis)

    def forward_expected(self, inputs):
        x, y = inputs
        shape = (1,) * self.axis + y.shape + (1,) * (x.ndim - self.axis - y.ndim)
        y = y.reshape(shape)
        return x + y, x * y


def test_bias_shape_mismatch():
    with pytest.raises(InvalidType):
        F.bias(numpy.zeros((2, 3, 4), numpy.float32), numpy.zeros(4, numpy.float32))


@testing.parameterize(*testing.product({
    "shape": [(3, 2), (2, 3, 4)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestBatchL2NormSquared(testing.FunctionTestCase):
    def setUp(self):
        _loose(self)

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.batch_l2_norm_squared(inputs[0]),)

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        return ((x.reshape(len(x), -1) ** 2).sum(axis=1).astype(self.dtype),)


def test_batch_l2_norm_squared_needs_two_dims():
    with pytest.raises(InvalidType, match="x.ndim >= 2"):
        F.batch_l2_norm_squared(numpy.zeros(3, numpy.float32))


def test_identity():
    a = kusari.Variable(numpy.ones(2, numpy.float32))
    y = F.identity(a)
    assert y is not a and y.creator is not None
    y1, y2 = F.identity(a, a * 2)
    (y1 + y2).grad = None
    F.sum(y1 * 3 + y2).backward()
    numpy.testing.assert_array_equal(a.grad, [5.0, 5.0])


class TestPolygamma(testing.FunctionTestCase):
    def generate_inputs(self):
        return (numpy.random.uniform(0.5, 3, (2, 3)),)

    def forward(self, inputs, device):
        n = numpy.array([[0, 1, 2], [1, 2, 3]], numpy.int32)
        return (F.polygamma(n, inputs[0]),)

    def forward_expected(self, inputs):
        from kusari.functions.math import _special

        n = numpy.array([[0, 1, 2], [1, 2, 3]], numpy.int32)
        return (_special._np_polygamma(n, inputs[0]),)


class TestZeta(testing.FunctionTestCase):
    def generate_inputs(self):
        return (numpy.random.uniform(0.5, 3, (2, 3)),)

    def forward(self, inputs, device):
        return (F.zeta(numpy.array([2.0, 3.0, 4.5]), inputs[0]),)

    def forward_expected(self, inputs):
        from kusari.functions.math import _special

        return (_special._np_zeta(numpy.array([2.0, 3.0, 4.5]), inputs[0]),)


@testing.parameterize({"method": "fft"}, {"method": "ifft"})
class TestFFT(testing.FunctionTestCase):
    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 4)), numpy.random.uniform(-1, 1, (2, 4))

    def forward(self, inputs, device):
        return getattr(F, self.method)(inputs)

    def forward_expected(self, inputs):
        r, i = inputs
        y = getattr(numpy.fft, self.method)(r + 1j * i)
        return y.real, y.imag


def test_fft_shape_mismatch():
    with pytest.raises(InvalidType, match="real.shape == imag.shape"):
        F.fft((numpy.zeros(4, numpy.float32), numpy.zeros(3, numpy.float32)))
