import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "norm": ["L1", "L2"],
    "reduce": ["mean", "no"],
}))
class TestHinge(testing.FunctionTestCase):
    dodge_nondifferentiable = True
    skip_double_backward_test = True  # Chainer's Hinge is not twice differentiable

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        self.t = numpy.random.randint(0, 3, 4).astype(numpy.int32)

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, (4, 3)).astype(self.dtype)
        x[numpy.abs(numpy.abs(x) - 1) < 0.05] = 0.5
        return x,

    def forward(self, inputs, device):
        return F.hinge(inputs[0], self.t, self.norm, self.reduce),

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        loss = numpy.zeros_like(x)
        for i in range(x.shape[0]):
            for k in range(x.shape[1]):
                s = 1.0 if k == self.t[i] else -1.0
                v = max(0.0, 1 - s * x[i, k])
                loss[i, k] = v * v if self.norm == "L2" else v
        if self.reduce == "mean":
            loss = numpy.asarray(loss.sum() / x.shape[0])
        return loss.astype(self.dtype),


@testing.parameterize(*testing.product({
    "dtype": [numpy.float32, numpy.float64],
    "reduce": ["mean", "no"],
}))
class TestContrastive(testing.FunctionTestCase):
    dodge_nondifferentiable = True
    skip_double_backward_test = True  # Chainer's Contrastive is not twice differentiable

    def setUp(self):
        self.y = numpy.array([0, 1, 0, 1, 0], numpy.int32)
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        x0 = numpy.random.uniform(-0.5, 0.5, (5, 3)).astype(self.dtype)
        x1 = numpy.random.uniform(-0.5, 0.5, (5, 3)).astype(self.dtype)
        return x0, x1

    def forward(self, inputs, device):
        return F.contrastive(*inputs, self.y, margin=1.0, reduce=self.reduce),

    def forward_expected(self, inputs):
        x0, x1 = (a.astype(numpy.float64) for a in inputs)
        d = numpy.sqrt(((x0 - x1) ** 2).sum(1))
        loss = 0.5 * (self.y * d * d + (1 - self.y) * numpy.maximum(1 - d, 0) ** 2)
        if self.reduce == "mean":
            loss = numpy.asarray(loss.sum() / len(x0))
        return loss.astype(self.dtype),


@testing.parameterize(*testing.product({
    "dtype": [numpy.float32, numpy.float64],
    "reduce": ["mean", "no"],
}))
class TestTriplet(testing.FunctionTestCase):
    dodge_nondifferentiable = True
    skip_double_backward_test = True  # Chainer's Triplet is not twice differentiable

    def setUp(self):
        self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, (5, 3)).astype(self.dtype) for _ in range(3))

    def forward(self, inputs, device):
        return F.triplet(*inputs, margin=0.2, reduce=self.reduce),

    def forward_expected(self, inputs):
        a, p, n = (x.astype(numpy.float64) for x in inputs)
        loss = numpy.maximum(((a - p) ** 2).sum(1) - ((a - n) ** 2).sum(1) + 0.2, 0)
        if self.reduce == "mean":
            loss = numpy.asarray(loss.mean())
        return loss.astype(self.dtype),


def test_contrastive_zero_distance_has_finite_gradient():
    import kusari
    x = kusari.Variable(numpy.zeros((2, 3), numpy.float32))
    loss = F.contrastive(x, numpy.zeros((2, 3), numpy.float32), numpy.array([0, 0], 'i'))
    loss.backward()
    assert float(loss.array) == 0.5
    assert numpy.all(x.grad == 0)


def test_errors():
    x = numpy.zeros((4, 3), numpy.float32)
    with pytest.raises(NotImplementedError, match="'L1' or 'L2'"):
        F.hinge(x, numpy.zeros(4, numpy.int32), norm="L3")
    with pytest.raises(InvalidType) as e:
        F.hinge(x, numpy.zeros(4, numpy.float32))
    assert "Hinge (Forward)" in str(e.value) and "t.dtype.kind == i" in str(e.value)
    with pytest.raises(InvalidType, match="y.dtype.kind == i"):
        F.contrastive(x, x, numpy.zeros(4, numpy.float32))
    with pytest.raises(ValueError, match="only 'mean' and 'no'"):
        F.triplet(x, x, x, reduce="sum")
    with pytest.raises(InvalidType, match="Triplet"):
        F.triplet(x, x, x[:2])
