import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _unpool_ref(x, k, s, p, outsize):
    nd = x.ndim - 2
    big = numpy.zeros(x.shape[:2] + tuple(outsize[i] + 2 * p + s + k for i in range(nd)))
    import itertools
    for idx in itertools.product(*[range(v) for v in x.shape[2:]]):
        sl = tuple(slice(i * s, i * s + k) for i in idx)
        big[(slice(None), slice(None)) + sl] += x[(slice(None), slice(None)) + idx][
            (...,) + (None,) * nd]
    return big[(slice(None), slice(None)) + tuple(slice(p, p + o) for o in outsize)]


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "geom": [dict(k=2, s=2, p=0, cover_all=False), dict(k=3, s=2, p=1, cover_all=True),
             dict(k=3, s=1, p=0, cover_all=False)],
}))
class TestUnpooling2D(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 1e-2}

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3, 3, 4)).astype(self.dtype),

    def _out(self):
        g = self.geom
        extra = g["s"] - 1 if g["cover_all"] else 0
        return tuple(g["s"] * (n - 1) + g["k"] - 2 * g["p"] - extra for n in (3, 4))

    def forward(self, inputs, device):
        g = self.geom
        return F.unpooling_2d(inputs[0], g["k"], g["s"], g["p"], cover_all=g["cover_all"]),

    def forward_expected(self, inputs):
        g = self.geom
        return _unpool_ref(inputs[0], g["k"], g["s"], g["p"], self._out()).astype(self.dtype),


class TestUnpoolingND(testing.FunctionTestCase):

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (1, 2, 3, 2, 2)),

    def forward(self, inputs, device):
        return F.unpooling_3d(inputs[0], 2, cover_all=False, outsize=(6, 4, 5)),

    def forward_expected(self, inputs):
        return _unpool_ref(inputs[0], 2, 2, 0, (6, 4, 5)),


class TestUpsampling2D(testing.FunctionTestCase):

    def setUp(self):
        x = numpy.random.permutation(60).reshape(1, 3, 4, 5).astype(numpy.float32)
        self.y, self.idx = F.max_pooling_2d(x, 3, 2, 1, return_indices=True)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.y.shape),

    def forward(self, inputs, device):
        return F.upsampling_2d(inputs[0], self.idx, 3, 2, 1, outsize=(4, 5)),

    def forward_expected(self, inputs):
        x, = inputs
        out = numpy.zeros((1, 3, 4 + 4, 5 + 4))
        for i in range(x.shape[2]):
            for j in range(x.shape[3]):
                ky, kx = numpy.divmod(self.idx[:, :, i, j], 3)
                for c in range(3):
                    out[0, c, i * 2 + ky[0, c], j * 2 + kx[0, c]] += x[0, c, i, j]
        return out[:, :, 1:5, 1:6],


def test_unpooling_errors():
    with pytest.raises(InvalidType, match="Unpooling2D"):
        F.unpooling_2d(numpy.zeros((2, 3, 4), numpy.float32), 2)
    with pytest.raises(InvalidType):
        F.unpooling_2d(numpy.zeros((1, 1, 2, 2), numpy.float32), 2, outsize=(9, 9))
