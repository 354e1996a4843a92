"""decorrelated_batch_normalization and its fixed-statistics variant."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _groups(x, g):
    axes = (1, 0) + tuple(range(2, x.ndim))
    return x.transpose(axes).reshape(g, x.shape[1] // g, -1)


def _ungroup(y, shape):
    axes = (1, 0) + tuple(range(2, len(shape)))
    return y.reshape((shape[1], shape[0]) + shape[2:]).transpose(axes)


def _dbn_reference(x, g, eps):
    xh = _groups(x.astype(numpy.float64), g)
    out = numpy.empty_like(xh)
    for i in range(g):
        xc = xh[i] - xh[i].mean(axis=1, keepdims=True)
        cov = xc @ xc.T / xc.shape[1] + eps * numpy.eye(xc.shape[0])
        lam, v = numpy.linalg.eigh(cov)
        out[i] = v @ numpy.diag(lam ** -0.5) @ v.T @ xc
    return _ungroup(out, x.shape)


@testing.parameterize(*testing.product({
    "shape_groups": [((8, 4, 3), 2), ((10, 3), 1), ((5, 6, 2, 2), 3)],
    "dtype": [numpy.float32, numpy.float64],
    "eps": [2e-5, 1e-1],
}))
class TestDecorrelatedBatchNormalization(testing.FunctionTestCase):
    # Chainer raises NotImplementedError on double backward (tested below)
    skip_double_backward_test = True

    def setUp(self):
        if self.dtype == numpy.float32:
            self.check_forward_options = {"atol": 1e-4, "rtol": 1e-3}
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
        else:
            self.check_backward_options = {"atol": 1e-6, "rtol": 1e-5}

    def generate_inputs(self):
        shape, _ = self.shape_groups
        return (numpy.random.uniform(-1, 1, shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.decorrelated_batch_normalization(inputs[0], groups=self.shape_groups[1],
                                                   eps=self.eps),)

    def forward_expected(self, inputs):
        return (_dbn_reference(inputs[0], self.shape_groups[1], self.eps).astype(self.dtype),)


def test_dbn_whitens():
    x = numpy.random.RandomState(1).randn(200, 6) @ numpy.random.RandomState(2).randn(6, 6)
    y = F.decorrelated_batch_normalization(x, groups=2, eps=0.0).array
    for i in range(2):
        yi = y[:, 3 * i:3 * i + 3]
        numpy.testing.assert_allclose(yi.mean(axis=0), 0, atol=1e-12)
        numpy.testing.assert_allclose(yi.T @ yi / 200, numpy.eye(3), atol=1e-10)


def test_dbn_running_statistics():
    x = numpy.random.uniform(-1, 1, (6, 4, 2))
    g, c, m = 2, 2, 12
    rm = numpy.ones((g, c))
    rp = numpy.zeros((g, c, c))
    F.decorrelated_batch_normalization(x, groups=g, running_mean=rm, running_projection=rp,
                                       decay=0.75)
    xh = _groups(x, g)
    numpy.testing.assert_allclose(rm, 0.75 + 0.25 * xh.mean(axis=2))
    for i in range(g):
        xc = xh[i] - xh[i].mean(axis=1, keepdims=True)
        lam, v = numpy.linalg.eigh(xc @ xc.T / m + 2e-5 * numpy.eye(c))
        whiten = v @ numpy.diag(lam ** -0.5) @ v.T
        numpy.testing.assert_allclose(rp[i], 0.25 * m / (m - 1) * whiten)


def test_dbn_float16_computes_in_float32():
    x = numpy.random.uniform(-1, 1, (16, 4)).astype(numpy.float16)
    y = F.decorrelated_batch_normalization(x, groups=2)
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(y.array, _dbn_reference(x, 2, 2e-5), atol=2e-2, rtol=2e-2)


def test_dbn_double_backward_not_implemented():
    x = kusari.Variable(numpy.random.uniform(-1, 1, (6, 2)))
    y = F.decorrelated_batch_normalization(x, groups=1)
    gx, = kusari.grad([F.sum(y * y * y)], [x], enable_double_backprop=True)
    with pytest.raises(NotImplementedError, match="Double backward"):
        F.sum(gx).backward()


def test_dbn_type_errors():
    with pytest.raises(InvalidType) as e:
        F.decorrelated_batch_normalization(numpy.zeros((4, 6), numpy.float32), groups=4)
    assert "DecorrelatedBatchNormalization (Forward)" in str(e.value)
    assert "x.shape[1] % 4 == 0" in str(e.value)
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        F.decorrelated_batch_normalization(numpy.zeros((4, 2), numpy.int32), groups=1)
    with pytest.raises(InvalidType, match="x.ndim >= 2"):
        F.decorrelated_batch_normalization(numpy.zeros(4, numpy.float32), groups=1)
    with pytest.raises(TypeError):
        F.decorrelated_batch_normalization(numpy.zeros((4, 2), numpy.float32), foo=1)


@testing.parameterize(*testing.product({
    "shape_groups": [((3, 4, 2), 2), ((5, 3), 1)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestFixedDecorrelatedBatchNormalization(testing.FunctionTestCase):
    # Chainer raises NotImplementedError on double backward
    skip_double_backward_test = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        shape, g = self.shape_groups
        c = shape[1] // g
        return (numpy.random.uniform(-1, 1, shape).astype(self.dtype),
                numpy.random.uniform(-1, 1, (g, c)).astype(self.dtype),
                numpy.random.uniform(-1, 1, (g, c, c)).astype(self.dtype))

    def forward(self, inputs, device):
        return (F.fixed_decorrelated_batch_normalization(*inputs, groups=self.shape_groups[1]),)

    def forward_expected(self, inputs):
        x, mean, proj = (a.astype(numpy.float64) for a in inputs)
        xh = _groups(x, self.shape_groups[1])
        y = numpy.stack([proj[i] @ (xh[i] - mean[i][:, None]) for i in range(len(xh))])
        return (_ungroup(y, x.shape).astype(self.dtype),)


def test_fixed_dbn_type_errors():
    x = numpy.zeros((2, 4), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.fixed_decorrelated_batch_normalization(x, numpy.zeros((2, 2), numpy.float64),
                                                 numpy.zeros((2, 2, 2), numpy.float32), groups=2)
    assert "FixedDecorrelatedBatchNormalization (Forward)" in str(e.value)
    assert "mean.dtype == x.dtype" in str(e.value)
    with pytest.raises(InvalidType, match="projection.shape"):
        F.fixed_decorrelated_batch_normalization(x, numpy.zeros((2, 2), numpy.float32),
                                                 numpy.zeros((2, 3, 3), numpy.float32), groups=2)
