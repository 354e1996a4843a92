import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import gradient_check, serializers


def test_negative_sampling_link_matches_function_and_trains():
    numpy.random.seed(0)
    ns = L.NegativeSampling(3, [5, 3, 2, 1], 2)
    assert [n for n, _ in ns.namedparams()] == ["/W"]
    assert ns.W.shape == (4, 3) and (ns.W.array == 0).all()
    ns.W.array[...] = numpy.random.uniform(-1, 1, (4, 3))
    x = numpy.random.uniform(-1, 1, (5, 3)).astype(numpy.float32)
    t = numpy.array([0, 1, 2, 3, 0], numpy.int32)
    fixed = numpy.random.randint(0, 4, (5, 2)).astype(numpy.int32)
    ns.sampler.sample = lambda shape: fixed
    loss = ns(x, t)
    expected = F.negative_sampling(x, t, ns.W, lambda shape: fixed, 2)
    numpy.testing.assert_allclose(loss.array, expected.array, rtol=1e-6)
    per = ns(x, t, reduce="no")
    assert per.shape == (5,)
    numpy.testing.assert_allclose(per.array.sum(), loss.array, rtol=1e-5)
    ns.cleargrads()
    loss.backward()
    assert ns.W.grad is not None and numpy.abs(ns.W.grad).sum() > 0


def test_negative_sampling_link_gradient():
    numpy.random.seed(2)
    ns = L.NegativeSampling(3, [5, 3, 2, 1], 2, dtype=numpy.float64)
    assert ns.W.dtype == numpy.float64
    ns.W.array[...] = numpy.random.uniform(-1, 1, (4, 3))
    fixed = numpy.random.randint(0, 4, (5, 2)).astype(numpy.int32)
    ns.sampler.sample = lambda shape: fixed
    x = numpy.random.uniform(-1, 1, (5, 3))
    t = numpy.array([0, 1, 2, 3, 0], numpy.int32)
    gradient_check.check_backward(lambda xv: ns(xv, t), x, None, params=[ns.W],
                                  dtype=numpy.float64)


def test_negative_sampling_sampler_follows_powered_counts():
    numpy.random.seed(1)
    ns = L.NegativeSampling(2, [1, 0, 8], 1, power=1.0)
    draws = ns.sampler.sample((20000,))
    freq = numpy.bincount(draws, minlength=3) / 20000
    numpy.testing.assert_allclose(freq, [1 / 9, 0, 8 / 9], atol=0.02)
    with pytest.raises(ValueError, match="sample_size"):
        L.NegativeSampling(2, [1, 2], 0)


def test_black_out_link():
    numpy.random.seed(0)
    bo = L.BlackOut(3, [3, 2, 1, 4], 2)
    x = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    t = numpy.array([0, 1, 2, 3], numpy.int32)
    bo.sample_data = numpy.array([[1, 2], [0, 3], [3, 1], [2, 0]], numpy.int32)
    loss = bo(x, t)
    expected = F.black_out(x, t, bo.W, bo.sample_data)
    numpy.testing.assert_allclose(loss.array, expected.array, rtol=1e-6)


def test_crf1d_link_and_serialization(tmp_path):
    numpy.random.seed(0)
    crf = L.CRF1d(3, initial_cost=numpy.random.uniform(-1, 1, (3, 3)).astype(numpy.float32))
    seqs = [numpy.random.uniform(-1, 1, (n, 3)).astype(numpy.float32) for n in (4, 3, 2)]
    labels = [numpy.random.randint(0, 3, n).astype(numpy.int32) for n in (4, 3, 2)]
    xs = F.transpose_sequence(seqs)
    ys = F.transpose_sequence(labels)
    loss = crf(xs, ys)
    numpy.testing.assert_allclose(loss.array, F.crf1d(crf.cost, xs, ys).array, rtol=1e-6)
    numpy.testing.assert_allclose(crf(seqs, labels, transpose=True).array, loss.array,
                                  rtol=1e-6)
    score, path = crf.argmax(seqs, transpose=True)
    assert [len(p) for p in path] == [4, 3, 2]
    assert all(isinstance(p, numpy.ndarray) for p in path)
    serializers.save_npz(str(tmp_path / "crf.npz"), crf)
    other = L.CRF1d(3)
    serializers.load_npz(str(tmp_path / "crf.npz"), other)
    numpy.testing.assert_array_equal(other.cost.array, crf.cost.array)
    assert [n for n, _ in other.namedparams()] == ["/cost"]


def test_loss_links_are_exported():
    for name in ("NegativeSampling", "BlackOut", "CRF1d"):
        assert isinstance(getattr(L, name), type)
    assert issubclass(L.NegativeSampling, kusari.Link)
