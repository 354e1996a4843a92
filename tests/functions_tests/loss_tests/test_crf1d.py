import itertools

import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check, testing

LENGTHS = [3, 3, 2, 1]  # sorted by decreasing length, time-major below
K = 3


def _split(seqs):
    """Per-sequence arrays -> time-major list of batch arrays."""
    return [numpy.stack([s[t] for s in seqs if len(s) > t]) for t in range(len(seqs[0]))]


def _path_score(cost, x, y):
    return sum(x[t, y[t]] for t in range(len(y))) + sum(
        cost[y[t - 1], y[t]] for t in range(1, len(y)))


def _ref_nll(cost, seq_x, seq_y):
    out = []
    for x, y in zip(seq_x, seq_y):
        scores = [_path_score(cost, x, p) for p in itertools.product(range(K), repeat=len(x))]
        out.append(numpy.logaddexp.reduce(scores) - _path_score(cost, x, y))
    return numpy.array(out)


def _inputs(dtype):
    rng = numpy.random.default_rng(3)
    cost = rng.uniform(-1, 1, (K, K)).astype(dtype)
    seq_x = [rng.uniform(-1, 1, (n, K)).astype(dtype) for n in LENGTHS]
    seq_y = [rng.integers(0, K, n).astype(numpy.int32) for n in LENGTHS]
    return cost, seq_x, seq_y


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "reduce": ["mean", "no"],
}))
class TestCRF1d(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}
        else:
            self.check_backward_options = {"atol": 1e-4, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-4, "rtol": 1e-3}

    def generate_inputs(self):
        cost, seq_x, _ = _inputs(self.dtype)
        return (cost,) + tuple(_split(seq_x))

    def forward(self, inputs, device):
        _, _, seq_y = _inputs(self.dtype)
        return F.crf1d(inputs[0], list(inputs[1:]), _split(seq_y), reduce=self.reduce),

    def forward_expected(self, inputs):
        cost = inputs[0].astype(numpy.float64)
        xs = inputs[1:]
        seq_x = [numpy.stack([xs[t][i] for t in range(n)]).astype(numpy.float64)
                 for i, n in enumerate(LENGTHS)]
        _, _, seq_y = _inputs(self.dtype)
        loss = _ref_nll(cost, seq_x, seq_y)
        if self.reduce == "mean":
            loss = loss.sum() / len(LENGTHS)
        return numpy.asarray(loss, self.dtype),


def test_argmax_crf1d_finds_the_best_paths():
    cost, seq_x, _ = _inputs(numpy.float64)
    score, path = F.argmax_crf1d(cost, _split(seq_x))
    assert all(p.dtype == numpy.int32 for p in path)
    assert [len(p) for p in path] == [4, 3, 2]
    for i, x in enumerate(seq_x):
        best = max(itertools.product(range(K), repeat=len(x)),
                   key=lambda p: _path_score(cost, x, p))
        assert tuple(int(path[t][i]) for t in range(len(x))) == best
        numpy.testing.assert_allclose(score.array[i], _path_score(cost, x, best))


def test_argmax_crf1d_score_is_differentiable():
    cost, seq_x, _ = _inputs(numpy.float64)
    xs = _split(seq_x)

    def f(cost, *xs):
        return F.argmax_crf1d(cost, list(xs))[0]

    gradient_check.check_backward(f, (cost,) + tuple(xs), numpy.ones(4))


def test_reduce_checked():
    cost, seq_x, seq_y = _inputs(numpy.float32)
    with pytest.raises(ValueError, match="only 'mean' and 'no'"):
        F.crf1d(cost, _split(seq_x), _split(seq_y), reduce="sum")


def test_label_count_mismatch_rejected():
    cost = numpy.zeros((2, 2), numpy.float32)
    with pytest.raises(ValueError, match="crf1d"):
        F.crf1d(cost, [numpy.zeros((1, 3), numpy.float32)], [numpy.zeros(1, numpy.int32)])
