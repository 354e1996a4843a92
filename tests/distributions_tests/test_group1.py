"""Base class, KL registry, Normal, Bernoulli, Categorical, OneHotCategorical, Uniform."""

import math

import numpy
import pytest

import kusari
from kusari import distributions as D
from kusari.distribution import KLNotRegisteredError

from ._helpers import assert_matches_chainer, check_grad, close, needs_chainer

erf = numpy.vectorize(math.erf)


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(12345)


# ---- base and registry -------------------------------------------------------------

def test_top_level_names():
    assert kusari.Distribution is D.Distribution
    assert kusari.kl_divergence is D.kl_divergence
    assert kusari.register_kl is D.register_kl
    assert kusari.cross_entropy is D.cross_entropy


def test_base_raises_not_implemented():
    d = kusari.Distribution()
    for name in ("batch_shape", "event_shape", "mean", "variance", "entropy", "params",
                 "support", "covariance", "mode"):
        with pytest.raises(NotImplementedError, match=name):
            getattr(d, name)
    with pytest.raises(NotImplementedError):
        d.log_prob(numpy.zeros(1))
    with pytest.raises(NotImplementedError):
        d.sample_n(1)


def test_register_kl_and_unregistered_pair():
    class A(kusari.Distribution):
        pass

    class B(A):
        pass

    @kusari.register_kl(A, A)
    def _kl(p, q):
        return "aa"

    assert kusari.kl_divergence(A(), A()) == "aa"
    assert kusari.kl_divergence(B(), B()) == "aa"  # falls back to the base classes
    n = D.Normal(numpy.zeros(1), numpy.ones(1))
    with pytest.raises(KLNotRegisteredError, match="Normal, A"):
        kusari.kl_divergence(n, A())
    with pytest.raises(KeyError):  # Chainer raises KeyError here
        kusari.kl_divergence(n, A())
    with pytest.raises(TypeError):
        kusari.register_kl(A, 1)


def test_cross_entropy_is_entropy_plus_kl():
    p = D.Normal(numpy.array([0.3]), numpy.array([1.5]))
    q = D.Normal(numpy.array([-1.0]), numpy.array([0.5]))
    ce = kusari.cross_entropy(p, q)
    close(ce, p.entropy.array + kusari.kl_divergence(p, q).array)
    # Monte Carlo: -E_p[log q]
    x = p.sample(200000)
    close(ce, -q.log_prob(x).array.mean(axis=0), rtol=2e-2)


def test_sample_shapes_and_bad_sample_shape():
    d = D.Normal(numpy.zeros((4, 3), numpy.float32), numpy.ones((4, 3), numpy.float32))
    assert d.sample().shape == (4, 3)
    assert d.sample(5).shape == (5, 4, 3)
    assert d.sample((6, 5)).shape == (6, 5, 4, 3)
    assert d.sample_n(2).dtype == numpy.float32
    with pytest.raises(ValueError, match="negative"):
        d.sample((-1,))


# ---- Normal --------------------------------------------------------------------------

LOC = numpy.array([[0.3, -1.2, 2.0], [0.0, 0.5, -0.7]])
SCALE = numpy.array([[0.8, 1.5, 0.3], [2.0, 1.0, 0.6]])
X = numpy.array([[0.1, -0.4, 2.2], [1.5, -0.3, 0.0]])


def test_normal_values():
    d = D.Normal(LOC, SCALE)
    ref_lp = -0.5 * ((X - LOC) / SCALE) ** 2 - numpy.log(SCALE) - 0.5 * math.log(2 * math.pi)
    close(d.log_prob(X), ref_lp)
    close(d.prob(X), numpy.exp(ref_lp))
    ref_cdf = 0.5 * (1 + erf((X - LOC) / (SCALE * math.sqrt(2))))
    close(d.cdf(X), ref_cdf)
    close(d.log_cdf(X), numpy.log(ref_cdf))
    close(d.survival_function(X), 1 - ref_cdf)
    close(d.log_survival_function(X), numpy.log(1 - ref_cdf))
    close(d.icdf(ref_cdf), X, rtol=1e-6, atol=1e-7)
    close(d.entropy, 0.5 * numpy.log(2 * math.pi * math.e * SCALE ** 2))
    close(d.mean, LOC)
    close(d.variance, SCALE ** 2)
    close(d.stddev, SCALE)
    assert d.batch_shape == (2, 3) and d.event_shape == () and d.support == "real"
    assert set(d.params) == {"loc", "scale"}
    assert d.xp is numpy


def test_normal_log_scale_parameterisation():
    d = D.Normal(LOC, log_scale=numpy.log(SCALE))
    close(d.scale, SCALE)
    close(d.log_prob(X), D.Normal(LOC, SCALE).log_prob(X).array)


def test_normal_bad_arguments():
    with pytest.raises(ValueError, match="not both"):
        D.Normal(LOC, SCALE, log_scale=SCALE)
    with pytest.raises(ValueError, match="not both"):
        D.Normal(LOC)
    with pytest.raises(TypeError, match="floating-point"):
        D.Normal(numpy.zeros(2, numpy.int32), SCALE)
    with pytest.raises(TypeError, match="ndarray or a Variable"):
        D.Normal(0.0, 1.0)


def test_normal_sample_moments_and_reparameterisation():
    d = D.Normal(LOC, SCALE)
    s = d.sample(100000).array
    assert s.shape == (100000, 2, 3)
    close(s.mean(0), LOC, atol=0.03, rtol=0)
    close(s.std(0), SCALE, rtol=0.03)
    loc = kusari.Variable(LOC.copy())
    y = D.Normal(loc, SCALE).sample(7)
    kusari.functions.sum(y).backward()
    close(loc.grad, numpy.full(LOC.shape, 7.0))


def test_normal_sampling_follows_numpy_global_state():
    numpy.random.seed(3)
    a = D.Normal(LOC, SCALE).sample(4).array
    numpy.random.seed(3)
    eps = numpy.random.standard_normal((4, 2, 3))
    close(a, LOC + SCALE * eps)


def test_normal_gradients():
    check_grad(lambda m, s: D.Normal(m, s).log_prob(X), LOC, SCALE)
    check_grad(lambda m, s: D.Normal(m, log_scale=s).log_prob(X), LOC, numpy.log(SCALE))
    check_grad(lambda m, s: D.Normal(m, s).cdf(X), LOC, SCALE)
    check_grad(lambda s: D.Normal(LOC, s).entropy, SCALE)
    check_grad(lambda m1, s1, m2, s2: kusari.kl_divergence(D.Normal(m1, s1), D.Normal(m2, s2)),
               LOC, SCALE, LOC[::-1].copy(), SCALE[:, ::-1].copy())


def test_normal_kl():
    p, q = D.Normal(LOC, SCALE), D.Normal(-LOC, 1.3 * SCALE[::-1])
    s1, s2 = SCALE, 1.3 * SCALE[::-1]
    ref = numpy.log(s2 / s1) + (s1 ** 2 + (2 * LOC) ** 2) / (2 * s2 ** 2) - 0.5
    close(kusari.kl_divergence(p, q), ref)
    x = p.sample(200000)
    close(kusari.kl_divergence(p, q),
          (p.log_prob(x) - q.log_prob(x)).array.mean(0), rtol=0.05, atol=0.01)


# ---- Bernoulli -----------------------------------------------------------------------

P = numpy.array([0.1, 0.5, 0.85, 0.3])
XB = numpy.array([1.0, 0.0, 1.0, 0.0])


def test_bernoulli_values():
    for d in (D.Bernoulli(p=P), D.Bernoulli(logit=numpy.log(P / (1 - P)))):
        close(d.p, P)
        close(d.logit, numpy.log(P / (1 - P)))
        close(d.log_prob(XB), numpy.where(XB == 1, numpy.log(P), numpy.log(1 - P)))
        close(d.prob(XB), numpy.where(XB == 1, P, 1 - P))
        close(d.entropy, -P * numpy.log(P) - (1 - P) * numpy.log(1 - P))
        close(d.mean, P)
        close(d.variance, P * (1 - P))
        close(d.stddev, numpy.sqrt(P * (1 - P)))
        assert d.batch_shape == (4,) and d.event_shape == () and d.support == "{0, 1}"
        assert set(d.params) == {"logit"}


def test_bernoulli_extreme_probabilities_and_binary_check():
    d = D.Bernoulli(p=numpy.array([0.0, 1.0, 0.0, 1.0]))
    close(d.log_prob(numpy.array([0.0, 1.0, 1.0, 0.0])), [0.0, 0.0, -numpy.inf, -numpy.inf])
    close(d.entropy, [0.0, 0.0, 0.0, 0.0])
    d = D.Bernoulli(p=P, binary_check=True)
    x = numpy.array([1.0, 0.5, 0.0, 2.0])
    lp = d.log_prob(x).array
    assert lp[1] == -numpy.inf and lp[3] == -numpy.inf
    close(d.prob(x), [0.1, 0.0, 0.15, 0.0])
    # without the check the smooth formula is evaluated
    close(D.Bernoulli(p=P).log_prob(x)[1].array, 0.5 * math.log(0.25))


def test_bernoulli_bad_arguments():
    with pytest.raises(ValueError, match="not both"):
        D.Bernoulli(p=P, logit=P)
    with pytest.raises(ValueError, match="not both"):
        D.Bernoulli()


def test_bernoulli_sample():
    s = D.Bernoulli(p=P).sample((50000,)).array
    assert s.shape == (50000, 4)
    assert set(numpy.unique(s)) <= {0, 1}
    close(s.mean(0), P, atol=0.01, rtol=0)


def test_bernoulli_gradients_and_kl():
    check_grad(lambda p: D.Bernoulli(p=p).log_prob(XB), P)
    check_grad(lambda lg: D.Bernoulli(logit=lg).log_prob(XB), numpy.array([-1.0, 0.3, 2.0, 0.0]))
    check_grad(lambda p: D.Bernoulli(p=p).entropy, P)
    q = numpy.array([0.4, 0.2, 0.6, 0.9])
    ref = P * numpy.log(P / q) + (1 - P) * numpy.log((1 - P) / (1 - q))
    close(kusari.kl_divergence(D.Bernoulli(p=P), D.Bernoulli(p=q)), ref)
    check_grad(lambda a, b: kusari.kl_divergence(D.Bernoulli(p=a), D.Bernoulli(p=b)), P, q)


# ---- Categorical / OneHotCategorical -----------------------------------------------

PC = numpy.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
QC = numpy.array([[0.1, 0.6, 0.3], [0.3, 0.3, 0.4]])


def test_categorical_values():
    for d in (D.Categorical(PC), D.Categorical(logit=numpy.log(PC) + 1.7)):
        x = numpy.array([[2, 0], [1, 1], [0, 2]])
        close(d.log_prob(x), numpy.log(PC[[0, 1], x]))
        close(d.prob(x), PC[[0, 1], x])
        close(d.p, PC)
        close(d.entropy, -(PC * numpy.log(PC)).sum(-1))
        assert d.batch_shape == (2,) and d.event_shape == ()
        assert d.log_prob(numpy.array([2, 0])).shape == (2,)
    d = D.Categorical(numpy.array([0.0, 1.0]))
    close(d.entropy, 0.0)
    close(d.log_prob(numpy.array([0, 1])), [-numpy.inf, 0.0])


def test_categorical_sample_and_bad_arguments():
    s = D.Categorical(PC).sample(60000).array
    assert s.shape == (60000, 2)
    for b in range(2):
        close(numpy.bincount(s[:, b], minlength=3) / 60000.0, PC[b], atol=0.01, rtol=0)
    s32 = D.Categorical(PC.astype(numpy.float32)).sample(10).array
    assert s32.shape == (10, 2)
    with pytest.raises(ValueError, match="sum to 1"):
        D.Categorical(numpy.array([0.5, 0.6])).sample(1)
    with pytest.raises(ValueError, match="not both"):
        D.Categorical(PC, logit=PC)
    with pytest.raises(ValueError, match="category axis"):
        D.Categorical(numpy.array(0.5))


def test_categorical_gradients_and_kl():
    x = numpy.array([2, 0])
    check_grad(lambda lg: D.Categorical(logit=lg).log_prob(x), numpy.log(PC))
    check_grad(lambda p: D.Categorical(p).entropy, PC)
    ref = (PC * numpy.log(PC / QC)).sum(-1)
    close(kusari.kl_divergence(D.Categorical(PC), D.Categorical(QC)), ref)
    check_grad(lambda a, b: kusari.kl_divergence(D.Categorical(logit=a),
                                                  D.Categorical(logit=b)),
               numpy.log(PC), numpy.log(QC))
    # zero mass in p contributes nothing; zero mass in q where p > 0 gives inf
    z = kusari.kl_divergence(D.Categorical(numpy.array([0.0, 1.0])),
                             D.Categorical(numpy.array([0.0, 1.0])))
    close(z, 0.0)
    z = kusari.kl_divergence(D.Categorical(numpy.array([0.5, 0.5])),
                             D.Categorical(numpy.array([0.0, 1.0])))
    assert z.array == numpy.inf


def test_one_hot_categorical():
    d = D.OneHotCategorical(PC)
    x = numpy.eye(3)[[[2, 0]]][0]
    close(d.log_prob(x), numpy.log([0.5, 0.6]))
    close(d.mean, PC)
    close(d.variance, PC * (1 - PC))
    close(d.entropy, -(PC * numpy.log(PC)).sum(-1))
    assert d.batch_shape == (2,) and d.event_shape == (3,)
    s = d.sample(40000).array
    assert s.shape == (40000, 2, 3) and s.dtype == PC.dtype
    close(s.sum(-1), numpy.ones((40000, 2)))
    close(s.mean(0), PC, atol=0.01, rtol=0)
    check_grad(lambda p: D.OneHotCategorical(p).log_prob(x), PC)
    ref = (PC * numpy.log(PC / QC)).sum(-1)
    close(kusari.kl_divergence(d, D.OneHotCategorical(QC)), ref)
    check_grad(lambda a, b: kusari.kl_divergence(D.OneHotCategorical(a),
                                                  D.OneHotCategorical(b)), PC, QC)
    z = D.OneHotCategorical(numpy.array([0.0, 1.0]))
    close(z.log_prob(numpy.array([0.0, 1.0])), 0.0)
    with pytest.raises(ValueError, match="category axis"):
        D.OneHotCategorical(numpy.array(1.0))


# ---- Uniform ---------------------------------------------------------------------------

LOW = numpy.array([0.0, -1.0, 2.0])
HIGH = numpy.array([1.0, 3.0, 2.5])


def test_uniform_values():
    for d in (D.Uniform(low=LOW, high=HIGH), D.Uniform(loc=LOW, scale=HIGH - LOW)):
        x = numpy.array([0.5, 3.5, 2.1])
        close(d.log_prob(x), [0.0, -numpy.inf, -math.log(0.5)])
        close(d.cdf(numpy.array([0.25, -2.0, 3.0])), [0.25, 0.0, 1.0])
        close(d.icdf(numpy.array([0.5, 0.5, 0.5])), (LOW + HIGH) / 2)
        close(d.mean, (LOW + HIGH) / 2)
        close(d.variance, (HIGH - LOW) ** 2 / 12)
        close(d.stddev, (HIGH - LOW) / math.sqrt(12))
        close(d.entropy, numpy.log(HIGH - LOW))
        close(d.low, LOW)
        close(d.high, HIGH)
        assert d.batch_shape == (3,) and d.support == "[low, high]"
    assert set(D.Uniform(low=LOW, high=HIGH).params) == {"low", "high"}
    assert set(D.Uniform(loc=LOW, scale=HIGH).params) == {"loc", "scale"}


def test_uniform_bad_arguments():
    with pytest.raises(ValueError, match="not both"):
        D.Uniform(low=LOW)
    with pytest.raises(ValueError, match="not both"):
        D.Uniform(low=LOW, high=HIGH, loc=LOW, scale=HIGH)
    with pytest.raises(TypeError):
        D.Uniform(LOW, HIGH)


def test_uniform_sample_gradients_kl():
    d = D.Uniform(low=LOW, high=HIGH)
    s = d.sample(50000).array
    assert s.shape == (50000, 3)
    assert (s >= LOW).all() and (s <= HIGH).all()
    close(s.mean(0), (LOW + HIGH) / 2, atol=0.02, rtol=0)
    x = numpy.array([0.5, 0.0, 2.2])
    check_grad(lambda a, b: D.Uniform(low=a, high=b).log_prob(x), LOW, HIGH)
    check_grad(lambda a, b: D.Uniform(low=a, high=b).cdf(x), LOW, HIGH)
    q = D.Uniform(low=LOW - 1, high=HIGH + 2)
    close(kusari.kl_divergence(d, q), numpy.log((HIGH - LOW + 3) / (HIGH - LOW)))
    close(kusari.kl_divergence(q, d), numpy.full(3, numpy.inf))
    check_grad(lambda a, b: kusari.kl_divergence(D.Uniform(low=a, high=b), q), LOW, HIGH)


# ---- against real Chainer ------------------------------------------------------------

REF_SCRIPT = r"""
import json
import numpy as np
loc = np.array([0.3, -1.2]); sc = np.array([0.8, 1.5]); x = np.array([0.1, 0.4])
p = np.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]); q = p[::-1].copy()
out = {}
n1, n2 = D.Normal(loc, sc), D.Normal(-loc, 2 * sc)
out['normal'] = [n1.log_prob(x).array.tolist(), n1.cdf(x).array.tolist(),
                 n1.entropy.array.tolist(), kl(n1, n2).array.tolist()]
b1, b2 = D.Bernoulli(p=np.array([0.1, 0.7])), D.Bernoulli(logit=np.array([0.5, -1.0]))
out['bern'] = [b1.log_prob(np.array([1.0, 0.0])).array.tolist(),
               b1.entropy.array.tolist(), kl(b1, b2).array.tolist()]
c1, c2 = D.Categorical(p), D.Categorical(q)
out['cat'] = [c1.log_prob(np.array([2, 1])).array.tolist(), c1.entropy.array.tolist(),
              kl(c1, c2).array.tolist()]
o1, o2 = D.OneHotCategorical(p), D.OneHotCategorical(q)
out['onehot'] = [o1.log_prob(np.eye(3)[[2, 1]]).array.tolist(), kl(o1, o2).array.tolist()]
u1 = D.Uniform(low=np.array([0.0, 1.0]), high=np.array([2.0, 1.5]))
u2 = D.Uniform(loc=np.array([-1.0, 0.0]), scale=np.array([4.0, 1.2]))
out['unif'] = [u1.log_prob(np.array([1.0, 1.2])).array.tolist(),
               u1.cdf(np.array([1.0, 1.2])).array.tolist(), kl(u1, u2).array.tolist()]
np.random.seed(7)
out['samples'] = [n1.sample(3).array.tolist(), u1.sample(2).array.tolist(),
                  b1.sample(3).array.tolist(), c1.sample(4).array.tolist()]
print(json.dumps(out))
"""


@pytest.mark.chainer_ref
@needs_chainer
def test_matches_chainer():
    assert_matches_chainer(REF_SCRIPT)
