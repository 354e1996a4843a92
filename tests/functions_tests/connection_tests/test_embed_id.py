import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "ignore_label": [None, -1, 2],
    "x_shape": [(4,), (2, 3)],
}))
class TestEmbedID(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 1e-2}
        ids = numpy.random.randint(0, 4, self.x_shape).astype(numpy.int32)
        if self.ignore_label is not None:
            ids.reshape(-1)[0] = self.ignore_label
        ids.reshape(-1)[-1] = ids.reshape(-1)[0 if self.ignore_label is None else -1]
        self.ids = ids

    def generate_inputs(self):
        W = numpy.random.uniform(-1, 1, (4, 3)).astype(self.dtype)
        return self.ids, W

    def forward(self, inputs, device):
        return F.embed_id(*inputs, ignore_label=self.ignore_label),

    def forward_expected(self, inputs):
        x, W = inputs
        y = numpy.zeros(x.shape + (3,), self.dtype)
        for i in numpy.ndindex(x.shape):
            if x[i] != self.ignore_label:
                y[i] = W[x[i]]
        return y,


def test_repeated_ids_accumulate():
    import kusari
    W = kusari.Variable(numpy.zeros((3, 2), numpy.float32))
    y = F.embed_id(numpy.array([1, 1, 2], numpy.int32), W)
    y.grad = numpy.ones((3, 2), numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(W.grad, [[0, 0], [2, 2], [1, 1]])


def test_type_errors():
    W = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.embed_id(numpy.zeros(2, numpy.float32), W)
    assert "EmbedIDFunction (Forward)" in str(e.value)
    assert "x.dtype.kind == i" in str(e.value)
    with pytest.raises(InvalidType, match="W.dtype.kind == f"):
        F.embed_id(numpy.zeros(2, numpy.int32), W.astype(numpy.int32))
    with pytest.raises(IndexError):
        F.embed_id(numpy.array([3], numpy.int32), W)


@pytest.mark.parametrize("ids", [
    [[4, 0, 3], [3, 3, 1], [3, 2, 4]],  # a few repeats
    [0] * 12 + [1, 2],  # many repeats (add.at path)
    [7, 1, 5, 2],  # all distinct
    [2, -1, 3, 2, -8],  # negative ids wrap around
    [],
])
@pytest.mark.parametrize("ignore_label", [None, -1])
def test_backward_sums_like_add_at(ids, ignore_label):
    from kusari.functions.connection.embed_id import _scatter

    x = numpy.array(ids, numpy.int32)
    g = numpy.random.RandomState(0).randn(*x.shape, 5).astype(numpy.float32)
    ref = numpy.zeros((8, 5), numpy.float32)
    flat, gflat = x.ravel(), g.reshape(-1, 5)
    if ignore_label is not None:
        keep = flat != ignore_label
        flat, gflat = flat[keep], gflat[keep]
    numpy.add.at(ref, flat, gflat)
    numpy.testing.assert_array_equal(_scatter(x, g, 8, ignore_label), ref)
