"""layer_normalization, group_normalization, local_response_normalization, normalize."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _loosen(case):
    if case.dtype == numpy.float16:
        case.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
        case.check_backward_options = {"atol": 5e-2, "rtol": 1e-1}
        case.check_double_backward_options = {"atol": 5e-2, "rtol": 1e-1}
    else:
        case.check_backward_options = {"atol": 1e-4, "rtol": 1e-3}
        case.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-2}


def _standardize(x, axis, eps):
    return (x - x.mean(axis=axis, keepdims=True)) / numpy.sqrt(
        x.var(axis=axis, keepdims=True) + eps)


@testing.parameterize(*testing.product({"shape": [(3, 4), (1, 5)], "dtype": DTYPES}))
class TestLayerNormalization(testing.FunctionTestCase):

    def setUp(self):
        _loosen(self)

    def generate_inputs(self):
        u = numpy.random.uniform
        n = self.shape[1]
        return (u(-1, 1, self.shape).astype(self.dtype), u(0.5, 1.5, n).astype(self.dtype),
                u(-1, 1, n).astype(self.dtype))

    def forward(self, inputs, device):
        return (F.layer_normalization(*inputs, eps=1e-3),)

    def forward_expected(self, inputs):
        x, g, b = (a.astype(numpy.float64) for a in inputs)
        return ((_standardize(x, 1, 1e-3) * g + b).astype(self.dtype),)


def test_layer_normalization_requires_2d():
    o = numpy.ones(3, numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.layer_normalization(numpy.zeros((2, 3, 1), numpy.float32), o, o)
    assert "LayerNormalization (Forward)" in str(e.value)
    assert "x.ndim == 2" in str(e.value)


@testing.parameterize(*testing.product({
    "shape_groups": [((2, 4), 2), ((2, 6, 3), 3), ((1, 4, 2, 2), 1), ((2, 4, 2), 4)],
    "dtype": DTYPES,
}))
class TestGroupNormalization(testing.FunctionTestCase):

    def setUp(self):
        _loosen(self)
        self.shape, self.groups = self.shape_groups

    def generate_inputs(self):
        u = numpy.random.uniform
        c = self.shape[1]
        return (u(-1, 1, self.shape).astype(self.dtype), u(0.5, 1.5, c).astype(self.dtype),
                u(-1, 1, c).astype(self.dtype))

    def forward(self, inputs, device):
        x, g, b = inputs
        return (F.group_normalization(x, self.groups, g, b, eps=1e-3),)

    def forward_expected(self, inputs):
        x, g, b = (a.astype(numpy.float64) for a in inputs)
        xr = x.reshape(x.shape[0], self.groups, -1)
        y = _standardize(xr, 2, 1e-3).reshape(x.shape)
        e = (1, -1) + (1,) * (x.ndim - 2)
        return ((y * g.reshape(e) + b.reshape(e)).astype(self.dtype),)


def test_group_normalization_errors():
    x = numpy.zeros((2, 6), numpy.float32)
    o = numpy.ones(6, numpy.float32)
    with pytest.raises(ValueError, match="divisible"):
        F.group_normalization(x, 4, o, o)
    with pytest.raises(TypeError):
        F.group_normalization(x, 2.0, o, o)
    with pytest.raises(InvalidType) as e:
        F.group_normalization(x, 2, numpy.ones(5, numpy.float32), numpy.ones(5, numpy.float32))
    assert "GroupNormalization (Forward)" in str(e.value)


def _np_lrn(x, n, k, alpha, beta):
    s = numpy.zeros_like(x)
    c = x.shape[1]
    for i in range(c):
        lo, hi = max(0, i - n // 2), min(c, i + n // 2 + 1)
        s[:, i] = (x[:, lo:hi] ** 2).sum(axis=1)
    return x / (k + alpha * s) ** beta


@testing.parameterize(*testing.product({
    "shape": [(2, 7, 3), (2, 3)],
    "n": [5, 2],
    "dtype": DTYPES,
}))
class TestLocalResponseNormalization(testing.FunctionTestCase):
    skip_double_backward_test = True  # not supported (as in Chainer)

    def setUp(self):
        _loosen(self)

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.local_response_normalization(inputs[0], self.n, 1.0, 0.5, 0.75),)

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        return (_np_lrn(x, self.n, 1.0, 0.5, 0.75).astype(self.dtype),)


def test_lrn_double_backward_not_supported():
    x = kusari.Variable(numpy.random.randn(2, 3))
    y = F.local_response_normalization(x)
    gx, = kusari.grad([F.sum(y)], [x], enable_double_backprop=True)
    with pytest.raises(NotImplementedError):
        F.sum(gx).backward()


def test_lrn_requires_2d():
    with pytest.raises(InvalidType) as e:
        F.local_response_normalization(numpy.zeros(3, numpy.float32))
    assert "x.ndim >= 2" in str(e.value)


@testing.parameterize(*testing.product({
    "shape_axis": [((3, 4), 1), ((2, 3, 4), (1, 2)), ((2, 3), 0)],
    "dtype": DTYPES,
}))
class TestNormalize(testing.FunctionTestCase):

    def setUp(self):
        _loosen(self)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.normalize(inputs[0], eps=1e-5, axis=self.axis),)

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        n = numpy.sqrt((x * x).sum(axis=self.axis, keepdims=True)) + 1e-5
        return ((x / n).astype(self.dtype),)


def test_normalize_zero_vector_gives_finite_gradient():
    x = kusari.Variable(numpy.array([[0.0, 0.0], [3.0, 4.0]], numpy.float32))
    y = F.normalize(x)
    y.grad = numpy.ones((2, 2), numpy.float32)
    y.backward()
    assert numpy.isfinite(x.grad).all()
    numpy.testing.assert_allclose(x.grad[0], [1e5, 1e5], rtol=1e-3)
    numpy.testing.assert_allclose(y.array[1], [0.6, 0.8], rtol=1e-4)
