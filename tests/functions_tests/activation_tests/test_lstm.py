import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

from ._common import DTYPES, loosen_for_float16


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def _np_lstm(c_prev, x):
    b = len(x)
    r = x.reshape((b, x.shape[1] // 4, 4) + x.shape[2:])
    a, i, f, o = (r[:, :, k] for k in range(4))
    c = c_prev.copy()
    c[:b] = numpy.tanh(a) * _sig(i) + _sig(f) * c_prev[:b]
    return c, _sig(o) * numpy.tanh(c[:b])


@testing.parameterize(*testing.product({
    "shapes": [((3, 2), (3, 8)), ((3, 2), (2, 8)), ((3, 2, 2), (1, 8, 2)), ((1, 1), (1, 4))],
    "dtype": DTYPES,
    "grads": ["both", "c_only", "h_only"],
}))
class TestLSTM(testing.FunctionTestCase):

    def setUp(self):
        loosen_for_float16(self, {"atol": 5e-3, "rtol": 5e-3})

    def generate_inputs(self):
        cs, xs = self.shapes
        c = numpy.random.uniform(-1, 1, cs).astype(self.dtype)
        x = numpy.random.uniform(-1, 1, xs).astype(self.dtype)
        return c, x

    def forward(self, inputs, device):
        c, h = F.lstm(*inputs)
        if self.grads == "c_only":
            return (c,)
        if self.grads == "h_only":
            return (h,)
        return c, h

    def forward_expected(self, inputs):
        c, x = (a.astype(numpy.float64) for a in inputs)
        c, h = _np_lstm(c, x)
        out = {"both": (c, h), "c_only": (c,), "h_only": (h,)}[self.grads]
        return tuple(a.astype(self.dtype) for a in out)


def test_lstm_rows_past_batch_pass_through():
    c = numpy.random.randn(3, 2).astype(numpy.float32)
    x = numpy.random.randn(1, 8).astype(numpy.float32)
    cv = kusari.Variable(c)
    cn, h = F.lstm(cv, x)
    assert h.shape == (1, 2)
    numpy.testing.assert_array_equal(cn.array[1:], c[1:])
    cn.grad = numpy.ones_like(c)
    cn.backward()
    numpy.testing.assert_array_equal(cv.grad[1:], numpy.ones((2, 2), numpy.float32))


def test_lstm_type_errors():
    with pytest.raises(InvalidType) as e:
        F.lstm(numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 8), numpy.float32))
    assert "LSTM (Forward)" in str(e.value)
    assert "x.shape[1] == 4 * c.shape[1]" in str(e.value)
    with pytest.raises(InvalidType):
        F.lstm(numpy.zeros((2, 2), numpy.float32), numpy.zeros((3, 8), numpy.float32))
    with pytest.raises(InvalidType):
        F.lstm(numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 8), numpy.float64))


@testing.parameterize(*testing.product({
    "shape": [(3, 2), (2, 2, 3)],
    "dtype": DTYPES,
}))
class TestSLSTM(testing.FunctionTestCase):

    def setUp(self):
        loosen_for_float16(self, {"atol": 5e-3, "rtol": 5e-3})

    def generate_inputs(self):
        s = self.shape
        xs = (s[0], 4 * s[1]) + s[2:]
        u = numpy.random.uniform
        return tuple(u(-1, 1, sh).astype(self.dtype) for sh in (s, s, xs, xs))

    def forward(self, inputs, device):
        return F.slstm(*inputs)

    def forward_expected(self, inputs):
        c1, c2, x1, x2 = (a.astype(numpy.float64) for a in inputs)

        def gates(x):
            r = x.reshape((x.shape[0], x.shape[1] // 4, 4) + x.shape[2:])
            return [r[:, :, k] for k in range(4)]

        a1, i1, f1, o1 = gates(x1)
        a2, i2, f2, o2 = gates(x2)
        c = (numpy.tanh(a1) * _sig(i1) + numpy.tanh(a2) * _sig(i2)
             + _sig(f1) * c1 + _sig(f2) * c2)
        h = _sig(o1 + o2) * numpy.tanh(c)
        return c.astype(self.dtype), h.astype(self.dtype)


def test_slstm_type_error_names_argument():
    c = numpy.zeros((2, 3), numpy.float32)
    x = numpy.zeros((2, 12), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.slstm(c, c, x, numpy.zeros((2, 8), numpy.float32))
    assert "SLSTM (Forward)" in str(e.value)
    assert "x2.shape[1]" in str(e.value)


@testing.parameterize(*testing.product({
    "n_children": [1, 2, 3],
    "dtype": DTYPES,
}))
class TestTreeLSTM(testing.FunctionTestCase):

    def setUp(self):
        loosen_for_float16(self, {"atol": 5e-3, "rtol": 5e-3})

    def generate_inputs(self):
        n = self.n_children
        u = numpy.random.uniform
        cs = tuple(u(-1, 1, (2, 3)).astype(self.dtype) for _ in range(n))
        return cs + (u(-1, 1, (2, (3 + n) * 3)).astype(self.dtype),)

    def forward(self, inputs, device):
        return F.tree_lstm(*inputs)

    def forward_expected(self, inputs):
        xs = [a.astype(numpy.float64) for a in inputs]
        cs, x = xs[:-1], xs[-1]
        g = x.reshape(2, 3 + len(cs), 3)
        c = numpy.tanh(g[:, 0]) * _sig(g[:, 1])
        for k, ck in enumerate(cs):
            c = c + _sig(g[:, 3 + k]) * ck
        h = _sig(g[:, 2]) * numpy.tanh(c)
        return c.astype(self.dtype), h.astype(self.dtype)


def test_tree_lstm_shape_error():
    c = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.tree_lstm(c, c, numpy.zeros((2, 12), numpy.float32))
    assert "TreeLSTM (Forward)" in str(e.value)
