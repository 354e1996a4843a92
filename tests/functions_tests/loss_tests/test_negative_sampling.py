import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

T = numpy.array([1, -1, 3, 0], numpy.int32)
SAMPLES = numpy.array([[9, 2, 5], [9, 1, 1], [9, 0, 3], [9, 4, 4]], numpy.int32)


def _sampler(shape):
    assert shape == SAMPLES.shape
    return SAMPLES.copy()


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["sum", "no"],
}))
class TestNegativeSampling(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        else:
            self.check_backward_options = {"atol": 1e-4, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-4, "rtol": 1e-3}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (4, 3)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (6, 3)).astype(self.dtype)
        return x, W

    def forward(self, inputs, device):
        x, W = inputs
        return F.negative_sampling(x, T, W, _sampler, 2, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, W = (a.astype(numpy.float64) for a in inputs)
        loss = numpy.zeros(4)
        for i in range(4):
            if T[i] == -1:
                continue
            loss[i] = numpy.logaddexp(0, -W[T[i]] @ x[i]) + sum(
                numpy.logaddexp(0, W[s] @ x[i]) for s in SAMPLES[i, 1:])
        if self.reduce == "sum":
            loss = loss.sum()
        return numpy.asarray(loss, self.dtype),


def test_return_samples_puts_the_label_first():
    x = numpy.zeros((4, 3), numpy.float32)
    W = numpy.zeros((6, 3), numpy.float32)
    loss, samples = F.negative_sampling(x, T, W, _sampler, 2, return_samples=True)
    numpy.testing.assert_array_equal(samples[:, 0], T)
    numpy.testing.assert_array_equal(samples[:, 1:], SAMPLES[:, 1:])
    # three rows count (the -1 row is ignored), each 3 log 2
    numpy.testing.assert_allclose(loss.array, 9 * numpy.log(2), rtol=1e-6)


def test_ignored_row_gets_no_gradient():
    import kusari

    x = kusari.Variable(numpy.ones((4, 3), numpy.float32))
    W = kusari.Variable(numpy.ones((6, 3), numpy.float32))
    F.negative_sampling(x, T, W, _sampler, 2).backward()
    assert not x.grad[1].any()
    assert x.grad[0].any()


def test_bad_arguments():
    x = numpy.zeros((4, 3), numpy.float32)
    W = numpy.zeros((6, 3), numpy.float32)
    with pytest.raises(ValueError, match="only 'sum' and 'no'"):
        F.negative_sampling(x, T, W, _sampler, 2, reduce="mean")
    with pytest.raises(TypeError, match="unexpected keyword"):
        F.negative_sampling(x, T, W, _sampler, 2, foo=1)
    with pytest.raises(InvalidType) as e:
        F.negative_sampling(x, T.astype(numpy.int64), W, _sampler, 2)
    assert "NegativeSamplingFunction (Forward)" in str(e.value)
    assert "t.dtype" in str(e.value)
