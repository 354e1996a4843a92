"""tensordot, einsum, det, batch_det, inv, batch_inv, cholesky, sparse_matmul."""

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.functions.math.sparse_matmul import CooGather
from kusari.utils.sparse import CooMatrix, get_order, to_coo
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product_dict(
    [
        {"a": (2, 3, 4), "b": (3, 4, 5), "axes": 2},
        {"a": (2, 3), "b": (3, 4), "axes": 1},
        {"a": (2, 3), "b": (4, 5), "axes": 0},
        {"a": (2, 3, 4), "b": (4, 3, 5), "axes": ((1, 2), (1, 0))},
        {"a": (3, 2), "b": (3, 4), "axes": (0, 0)},
    ],
    [{"dtype": numpy.float32}, {"dtype": numpy.float64}],
))
class TestTensorDot(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float32:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.a).astype(self.dtype),
                numpy.random.uniform(-1, 1, self.b).astype(self.dtype))

    def forward(self, inputs, device):
        return (F.tensordot(*inputs, axes=self.axes),)

    def forward_expected(self, inputs):
        return (numpy.tensordot(*inputs, axes=self.axes).astype(self.dtype),)


def test_tensordot_errors():
    with pytest.raises(ValueError, match="shape mismatch"):
        F.tensordot(numpy.zeros((2, 3)), numpy.zeros((3, 4)))
    with pytest.raises(InvalidType, match="a.dtype.kind == f"):
        F.tensordot(numpy.zeros((2, 3), numpy.int32), numpy.zeros((3, 4)), axes=1)


@testing.parameterize(*testing.product({
    "case": [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ii->i", [(3, 3)]),
        ("ii", [(3, 3)]),
        ("ij->", [(2, 3)]),
        ("ij->j", [(2, 3)]),
        ("...j,jk", [(2, 3), (3, 4)]),
        ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
        ("i,i,i->", [(3,), (3,), (3,)]),
        ("iij->ji", [(2, 2, 3)]),
        ("i,j->ij", [(2,), (3,)]),
        ("...i,...i->...", [(2, 3), (3,)]),
    ],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestEinSum(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        elif self.dtype == numpy.float32:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype) for s in self.case[1])

    def forward(self, inputs, device):
        return (F.einsum(self.case[0], *inputs),)

    def forward_expected(self, inputs):
        xs = [x.astype(numpy.float64) for x in inputs]
        return (numpy.asarray(numpy.einsum(self.case[0], *xs)).astype(self.dtype),)


def test_einsum_shape_mismatch_message():
    with pytest.raises(InvalidType) as e:
        F.einsum("ij,jk->ik", numpy.zeros((2, 3), numpy.float32),
                 numpy.zeros((2, 4), numpy.float32))
    assert "EinSum (Forward)" in str(e.value)
    assert "x0.shape[1] == x1.shape[0]" in str(e.value)


def test_einsum_errors():
    with pytest.raises(InvalidType, match="x0.dtype == x1.dtype|x1.dtype == x0.dtype"):
        F.einsum("i,i", numpy.zeros(2, numpy.float32), numpy.zeros(2, numpy.float64))
    with pytest.raises(ValueError):
        F.einsum("ij", numpy.zeros(3))
    with pytest.raises(TypeError):
        F.einsum(numpy.zeros(3))


def _well_conditioned(shape, dtype):
    a = numpy.random.uniform(-1, 1, shape)
    a += 3 * numpy.eye(shape[-1])
    return a.astype(dtype)


@testing.parameterize(*testing.product({
    "func": ["det", "inv"],
    "batched": [False, True],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestDetInv(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2, "eps": 1e-2}
            self.check_double_backward_options = {"atol": 1e-1, "rtol": 1e-1, "eps": 1e-2}
        elif self.dtype == numpy.float32:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 1e-2}

    def generate_inputs(self):
        return (_well_conditioned((2, 3, 3) if self.batched else (3, 3), self.dtype),)

    def forward(self, inputs, device):
        name = ("batch_" if self.batched else "") + self.func
        return (getattr(F, name)(inputs[0]),)

    def forward_expected(self, inputs):
        a = inputs[0].astype(numpy.float64)
        y = numpy.linalg.det(a) if self.func == "det" else numpy.linalg.inv(a)
        return (numpy.asarray(y).astype(self.dtype),)


def test_det_inv_type_errors():
    with pytest.raises(InvalidType, match="x.shape\\[-1\\] == x.shape\\[-2\\]"):
        F.det(numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(InvalidType, match="x.ndim == 3"):
        F.batch_det(numpy.zeros((2, 2), numpy.float32))
    with pytest.raises(InvalidType, match="a.ndim == 2"):
        F.inv(numpy.zeros((2, 2, 2), numpy.float32))
    with pytest.raises(ValueError, match="singular"):
        F.inv(numpy.zeros((2, 2), numpy.float32))


class TestCholesky(testing.FunctionTestCase):
    skip_double_backward_test = False

    def generate_inputs(self):
        a = numpy.random.uniform(-1, 1, (3, 3))
        return (a @ a.T + 3 * numpy.eye(3),)

    def forward(self, inputs, device):
        a, = inputs
        # symmetrize so that the numerical check moves along symmetric directions only
        return (F.cholesky((a + a.T) * 0.5),)

    def forward_expected(self, inputs):
        a, = inputs
        return (numpy.linalg.cholesky((a + a.T) * 0.5),)


@testing.parameterize(*testing.product({
    "sparse": ["a", "b"],
    "transa": [False, True],
    "transb": [False, True],
    "batched": [False, True],
}))
class TestSparseMatMul(testing.FunctionTestCase):
    def generate_inputs(self):
        n, k, m = 3, 4, 2
        a_shape = (k, n) if self.transa else (n, k)
        b_shape = (m, k) if self.transb else (k, m)
        if self.batched:
            a_shape, b_shape = (2,) + a_shape, (2,) + b_shape
        a = numpy.random.uniform(-1, 1, a_shape)
        b = numpy.random.uniform(-1, 1, b_shape)
        target = a if self.sparse == "a" else b
        target[numpy.random.uniform(size=target.shape) < 0.4] = 0
        target.reshape(-1)[0] = 0.5
        self.mask = target != 0
        return a, b

    def forward(self, inputs, device):
        a, b = inputs
        coo = to_coo(self.mask.astype(a.dtype))
        # read the values at the sparse positions from the differentiated dense input, so
        # the gradient check also covers the gradient of ``data``
        target = a if self.sparse == "a" else b
        sp = CooMatrix(coo.data.array, coo.row, coo.col, coo.shape)
        sp.data = CooGather(coo.row, coo.col, coo.shape).apply((target,))[0]
        if self.sparse == "a":
            return (F.sparse_matmul(sp, b, self.transa, self.transb),)
        return (F.sparse_matmul(a, sp, self.transa, self.transb),)

    def forward_expected(self, inputs):
        a, b = inputs
        if self.transa:
            a = numpy.swapaxes(a, -1, -2)
        if self.transb:
            b = numpy.swapaxes(b, -1, -2)
        return (numpy.matmul(a, b),)


def test_coo_roundtrip_and_order():
    x = numpy.array([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]], numpy.float32)
    coo = to_coo(x, ldnz=5)
    assert coo.data.shape == (5,)
    numpy.testing.assert_array_equal(coo.to_dense(), x)
    assert get_order(coo.row[:3], coo.col[:3]) == "C"
    assert get_order(numpy.array([1, 0]), numpy.array([0, 1])) == "F"
    with pytest.raises(ValueError):
        to_coo(x, ldnz=2)
    with pytest.raises(ValueError):
        F.sparse_matmul(x, x)
