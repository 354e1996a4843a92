import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

T, B, V = 5, 3, 3
LABELS = numpy.array([[1, 1], [2, 1], [2, 0]], numpy.int32)
INPUT_LENGTH = numpy.array([5, 4, 3], numpy.int32)
LABEL_LENGTH = numpy.array([2, 2, 1], numpy.int32)


def _collapse(path, blank):
    out = []
    prev = None
    for p in path:
        if p != prev and p != blank:
            out.append(p)
        prev = p
    return out


def _ref_loss(x, blank=0):
    """Brute force: sum the probability of every alignment that collapses to the label."""
    x = x.astype(numpy.float64)
    y = numpy.exp(x - x.max(axis=2, keepdims=True))
    y /= y.sum(axis=2, keepdims=True)
    loss = []
    for b in range(B):
        n = INPUT_LENGTH[b]
        target = list(LABELS[b, :LABEL_LENGTH[b]])
        p = 0.0
        for path in itertools.product(range(V), repeat=n):
            if _collapse(path, blank) == target:
                p += numpy.prod([y[k, b, path[k]] for k in range(n)])
        loss.append(-numpy.log(p))
    return numpy.array(loss)


# Chainer's CTC is a legacy Function with no double backprop; kusari matches that.
@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["mean", "no"],
}))
class TestCTC(testing.FunctionTestCase):
    skip_double_backward_test = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        else:
            self.check_forward_options = {"atol": 1e-5, "rtol": 1e-5}
            self.check_backward_options = {"atol": 1e-4, "rtol": 1e-3}

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (T, B, V)).astype(self.dtype),

    def forward(self, inputs, device):
        x, = inputs
        return F.connectionist_temporal_classification(
            [x[k] for k in range(T)], LABELS, 0, INPUT_LENGTH, LABEL_LENGTH, self.reduce),

    def forward_expected(self, inputs):
        loss = _ref_loss(inputs[0])
        if self.reduce == "mean":
            loss = loss.mean()
        return numpy.asarray(loss, self.dtype),


def test_default_lengths():
    global INPUT_LENGTH, LABEL_LENGTH, LABELS
    x = numpy.random.uniform(-1, 1, (T, B, V))
    saved = INPUT_LENGTH, LABEL_LENGTH, LABELS
    INPUT_LENGTH = numpy.full(B, T, numpy.int32)
    LABEL_LENGTH = numpy.full(B, 2, numpy.int32)
    LABELS = numpy.array([[1, 1], [2, 1], [2, 2]], numpy.int32)
    try:
        got = F.connectionist_temporal_classification(list(x), LABELS, 0, reduce="no").array
        numpy.testing.assert_allclose(got, _ref_loss(x), rtol=1e-6)
    finally:
        INPUT_LENGTH, LABEL_LENGTH, LABELS = saved


def test_nonzero_blank_symbol():
    x = numpy.random.uniform(-1, 1, (T, B, V))
    labels = numpy.array([[0, 0], [1, 0], [1, 1]], numpy.int32)
    got = F.connectionist_temporal_classification(list(x), labels, 2, reduce="no").array
    # relabel 2 <-> 0 so that the blank is 0 again
    perm = x[:, :, [2, 1, 0]]
    want = F.connectionist_temporal_classification(
        list(perm), numpy.array([[2, 2], [1, 2], [1, 1]], numpy.int32), 0, reduce="no")
    numpy.testing.assert_allclose(got, want.array, rtol=1e-6)


def test_gradient_is_zero_past_input_length():
    xs = [kusari.Variable(numpy.random.uniform(-1, 1, (B, V))) for _ in range(T)]
    F.connectionist_temporal_classification(xs, LABELS, 0, INPUT_LENGTH,
                                            LABEL_LENGTH).backward()
    assert not xs[4].grad[1:].any()
    assert not xs[3].grad[2].any()
    assert xs[0].grad.any()


def test_bad_arguments():
    x = [numpy.zeros((B, V), numpy.float32)] * T
    with pytest.raises(TypeError, match="list of Variables"):
        F.connectionist_temporal_classification(numpy.zeros((T, B, V)), LABELS, 0)
    with pytest.raises(TypeError, match="blank_symbol"):
        F.connectionist_temporal_classification(x, LABELS, 0.0)
    with pytest.raises(ValueError, match="blank_symbol"):
        F.connectionist_temporal_classification(x, LABELS, V)
    with pytest.raises(ValueError, match="only 'mean' and 'no'"):
        F.connectionist_temporal_classification(x, LABELS, 0, reduce="sum")
    with pytest.raises(InvalidType) as e:
        F.connectionist_temporal_classification(x, LABELS.astype(numpy.int64), 0)
    assert "ConnectionistTemporalClassification (Forward)" in str(e.value)
    assert "t.dtype" in str(e.value)
