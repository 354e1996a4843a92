"""Exponential, Laplace, LogNormal, Gamma, Beta, Dirichlet, Independent."""

import math

import numpy
import pytest

import kusari
from kusari import distributions as D

from ._helpers import assert_matches_chainer, check_grad, close, needs_chainer

lgamma = numpy.vectorize(math.lgamma)
erf = numpy.vectorize(math.erf)


def digamma(x):
    h = 1e-5
    return (lgamma(x + h) - lgamma(x - h)) / (2 * h)


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(2024)


def mc_kl(p, q, n=200000):
    x = p.sample(n)
    return (p.log_prob(x) - q.log_prob(x)).array.mean(0)


def mc_entropy(p, n=200000):
    return -p.log_prob(p.sample(n)).array.mean(0)


LAM = numpy.array([0.5, 1.0, 3.0])


def test_exponential():
    d = D.Exponential(LAM)
    x = numpy.array([1.0, -0.5, 0.2])
    close(d.log_prob(x), [math.log(0.5) - 0.5, -numpy.inf, math.log(3) - 0.6])
    close(d.cdf(x), [1 - math.exp(-0.5), 0.0, 1 - math.exp(-0.6)])
    close(d.icdf(numpy.array([0.3, 0.3, 0.3])), -numpy.log(0.7) / LAM)
    close(d.mean, 1 / LAM)
    close(d.variance, 1 / LAM ** 2)
    close(d.stddev, 1 / LAM)
    close(d.entropy, 1 - numpy.log(LAM))
    assert d.batch_shape == (3,) and d.support == "positive"
    s = d.sample(100000).array
    assert s.shape == (100000, 3) and (s >= 0).all()
    close(s.mean(0), 1 / LAM, rtol=0.03)
    xp = numpy.abs(x)
    check_grad(lambda lam: D.Exponential(lam).log_prob(xp), LAM)
    check_grad(lambda lam: D.Exponential(lam).cdf(xp), LAM)
    q = D.Exponential(LAM[::-1].copy())
    r = LAM[::-1] / LAM
    close(kusari.kl_divergence(d, q), r - numpy.log(r) - 1)
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.01)
    check_grad(lambda a, b: kusari.kl_divergence(D.Exponential(a), D.Exponential(b)),
               LAM, LAM[::-1].copy())
    with pytest.raises(TypeError, match="floating-point"):
        D.Exponential(numpy.array([1, 2]))


LOC = numpy.array([0.0, 1.0, -2.0])
SC = numpy.array([1.0, 0.5, 2.0])


def test_laplace():
    d = D.Laplace(LOC, SC)
    x = numpy.array([0.5, 0.0, -2.5])
    ref = -numpy.log(2 * SC) - numpy.abs(x - LOC) / SC
    close(d.log_prob(x), ref)
    close(d.prob(x), numpy.exp(ref))
    z = (x - LOC) / SC
    cdf = numpy.where(z < 0, 0.5 * numpy.exp(z), 1 - 0.5 * numpy.exp(-z))
    close(d.cdf(x), cdf)
    close(d.icdf(cdf), x, atol=1e-9)
    close(d.mean, LOC)
    close(d.mode, LOC)
    close(d.variance, 2 * SC ** 2)
    close(d.stddev, math.sqrt(2) * SC)
    close(d.entropy, 1 + numpy.log(2 * SC))
    s = d.sample(100000).array
    assert s.shape == (100000, 3) and s.dtype == numpy.float64
    close(s.mean(0), LOC, atol=0.03, rtol=0)
    close(s.var(0), 2 * SC ** 2, rtol=0.05)
    check_grad(lambda m, s: D.Laplace(m, s).log_prob(x), LOC, SC)
    check_grad(lambda m, s: D.Laplace(m, s).cdf(x), LOC, SC)
    loc0 = kusari.Variable(numpy.zeros(1))
    D.Laplace(loc0, numpy.ones(1)).cdf(numpy.zeros(1)).backward()
    close(loc0.grad, [-0.5])  # the density at the median, not 0 from |z|'s kink
    close(D.Laplace(LOC, SC).cdf(numpy.array([1e4, -1e4, -2.0])), [1.0, 0.0, 0.5])
    check_grad(lambda u: D.Laplace(LOC, SC).icdf(u), numpy.array([0.2, 0.7, 0.4]))
    q = D.Laplace(LOC + 0.7, SC[::-1].copy())
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.01)
    check_grad(lambda a, b, c, e: kusari.kl_divergence(D.Laplace(a, b), D.Laplace(c, e)),
               LOC, SC, LOC + 0.7, SC[::-1].copy())


MU = numpy.array([0.0, 0.5, -1.0])
SIG = numpy.array([1.0, 0.3, 0.8])


def test_log_normal():
    d = D.LogNormal(MU, SIG)
    x = numpy.array([1.0, 2.0, 0.3])
    lx = numpy.log(x)
    ref = -lx - numpy.log(SIG) - 0.5 * math.log(2 * math.pi) - (lx - MU) ** 2 / (2 * SIG ** 2)
    close(d.log_prob(x), ref)
    close(d.log_prob(numpy.array([-1.0, 0.0, 1.0]))[:2].array, [-numpy.inf, -numpy.inf])
    close(d.cdf(x), 0.5 * (1 + erf((lx - MU) / (SIG * math.sqrt(2)))))
    close(d.mean, numpy.exp(MU + SIG ** 2 / 2))
    close(d.variance, (numpy.exp(SIG ** 2) - 1) * numpy.exp(2 * MU + SIG ** 2))
    close(d.entropy, MU + 0.5 + numpy.log(SIG * math.sqrt(2 * math.pi)))
    s = d.sample(200000).array
    assert s.shape == (200000, 3) and (s > 0).all()
    close(numpy.log(s).mean(0), MU, atol=0.02, rtol=0)
    close(numpy.log(s).std(0), SIG, rtol=0.02)
    check_grad(lambda m, s: D.LogNormal(m, s).log_prob(x), MU, SIG)
    q = D.LogNormal(MU[::-1].copy(), SIG[::-1].copy())
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.02)
    check_grad(lambda a, b: kusari.kl_divergence(D.LogNormal(a, b), q), MU, SIG)


K = numpy.array([0.5, 1.0, 3.0])
TH = numpy.array([2.0, 0.5, 1.5])


def test_gamma():
    d = D.Gamma(K, TH)
    x = numpy.array([0.7, 1.2, 4.0])
    ref = (K - 1) * numpy.log(x) - x / TH - lgamma(K) - K * numpy.log(TH)
    close(d.log_prob(x), ref)
    lp0 = d.log_prob(numpy.array([0.0, 0.0, 0.0])).array
    assert lp0[0] == numpy.inf and lp0[2] == -numpy.inf
    close(lp0[1], -math.log(0.5))
    assert d.log_prob(numpy.array([-1.0, -1.0, -1.0])).array.tolist() == [-numpy.inf] * 3
    close(d.mean, K * TH)
    close(d.variance, K * TH ** 2)
    close(d.entropy, K + numpy.log(TH) + lgamma(K) + (1 - K) * digamma(K), rtol=1e-8)
    close(d.entropy, mc_entropy(d), rtol=0.03, atol=0.02)
    s = d.sample(200000).array
    assert s.shape == (200000, 3) and (s >= 0).all()
    close(s.mean(0), K * TH, rtol=0.03)
    close(s.var(0), K * TH ** 2, rtol=0.05)
    check_grad(lambda k, t: D.Gamma(k, t).log_prob(x), K, TH)
    check_grad(lambda k, t: D.Gamma(k, t).entropy, K, TH)
    q = D.Gamma(K[::-1].copy(), TH + 0.5)
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.02)
    check_grad(lambda a, b: kusari.kl_divergence(D.Gamma(a, b), q), K, TH)


A = numpy.array([0.8, 2.0, 5.0])
B = numpy.array([1.5, 2.0, 1.0])


def test_beta():
    d = D.Beta(A, B)
    x = numpy.array([0.3, 0.5, 0.9])
    lbeta = lgamma(A) + lgamma(B) - lgamma(A + B)
    ref = (A - 1) * numpy.log(x) + (B - 1) * numpy.log(1 - x) - lbeta
    close(d.log_prob(x), ref)
    out = d.log_prob(numpy.array([-0.1, 1.5, 1.0])).array
    assert out[0] == -numpy.inf and out[1] == -numpy.inf
    close(out[2], -lbeta[2] + 0.0)  # b = 1: density A at 1
    close(d.mean, A / (A + B))
    close(d.variance, A * B / ((A + B) ** 2 * (A + B + 1)))
    ent = (lbeta - (A - 1) * digamma(A) - (B - 1) * digamma(B)
           + (A + B - 2) * digamma(A + B))
    close(d.entropy, ent, rtol=1e-7, atol=1e-9)
    s = d.sample(200000).array
    assert s.shape == (200000, 3) and ((s >= 0) & (s <= 1)).all()
    close(s.mean(0), A / (A + B), atol=0.005, rtol=0)
    check_grad(lambda a, b: D.Beta(a, b).log_prob(x), A, B)
    check_grad(lambda a, b: D.Beta(a, b).entropy, A, B)
    q = D.Beta(B, A)
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.02)
    check_grad(lambda a, b: kusari.kl_divergence(D.Beta(a, b), q), A, B)


ALPHA = numpy.array([[1.0, 2.0, 3.0], [0.7, 0.9, 4.0]])


def test_dirichlet():
    d = D.Dirichlet(ALPHA)
    x = numpy.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    a0 = ALPHA.sum(-1)
    lbeta = lgamma(ALPHA).sum(-1) - lgamma(a0)
    close(d.log_prob(x), ((ALPHA - 1) * numpy.log(x)).sum(-1) - lbeta)
    close(d.mean, ALPHA / a0[:, None])
    close(d.variance, ALPHA * (a0[:, None] - ALPHA) / (a0[:, None] ** 2 * (a0[:, None] + 1)))
    ent = lbeta + (a0 - 3) * digamma(a0) - ((ALPHA - 1) * digamma(ALPHA)).sum(-1)
    close(d.entropy, ent, rtol=1e-7)
    assert d.batch_shape == (2,) and d.event_shape == (3,)
    s = d.sample(100000).array
    assert s.shape == (100000, 2, 3)
    close(s.sum(-1), numpy.ones((100000, 2)), rtol=1e-6)
    close(s.mean(0), ALPHA / a0[:, None], atol=0.005, rtol=0)
    check_grad(lambda a: D.Dirichlet(a).log_prob(x), ALPHA)
    check_grad(lambda a: D.Dirichlet(a).entropy, ALPHA)
    q = D.Dirichlet(ALPHA[:, ::-1].copy())
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.02)
    check_grad(lambda a, b: kusari.kl_divergence(D.Dirichlet(a), D.Dirichlet(b)),
               ALPHA, ALPHA[:, ::-1].copy())
    with pytest.raises(ValueError, match="event axis"):
        D.Dirichlet(numpy.array(1.0))


def test_independent():
    loc = numpy.arange(24.0).reshape(2, 3, 4) / 10
    sc = numpy.linspace(0.5, 2.0, 24).reshape(2, 3, 4)
    base = D.Normal(loc, sc)
    d = D.Independent(base)
    assert d.batch_shape == (2,) and d.event_shape == (3, 4)
    assert d.reinterpreted_batch_ndims == 2 and d.distribution is base
    d1 = D.Independent(base, 1)
    assert d1.batch_shape == (2, 3) and d1.event_shape == (4,)
    x = loc + 0.3
    close(d.log_prob(x), base.log_prob(x).array.sum((1, 2)))
    close(d1.log_prob(x), base.log_prob(x).array.sum(-1))
    close(d.prob(x), base.prob(x).array.prod((1, 2)))
    close(d.cdf(x), base.cdf(x).array.prod((1, 2)))
    close(d.log_cdf(x), base.log_cdf(x).array.sum((1, 2)))
    close(d.survival_function(x), base.survival_function(x).array.prod((1, 2)))
    close(d.entropy, base.entropy.array.sum((1, 2)))
    close(d.mean, loc)
    close(d.variance, sc ** 2)
    assert d.sample(5).shape == (5, 2, 3, 4)
    assert D.Independent(base, 0).log_prob(x).shape == (2, 3, 4)
    with pytest.raises(RuntimeError, match="not invertible"):
        d.icdf(x)
    with pytest.raises(ValueError, match="reinterpreted_batch_ndims"):
        D.Independent(base, 4)
    with pytest.raises(TypeError):
        D.Independent(loc)
    q = D.Independent(D.Normal(loc[::-1].copy(), sc[:, ::-1].copy()))
    close(kusari.kl_divergence(d, q),
          kusari.kl_divergence(base, q.distribution).array.sum((1, 2)))
    with pytest.raises(ValueError, match="Event shapes"):
        kusari.kl_divergence(d, d1)
    check_grad(lambda m, s: D.Independent(D.Normal(m, s)).log_prob(x), loc, sc)
    check_grad(lambda m, s: kusari.kl_divergence(D.Independent(D.Normal(m, s)), q), loc, sc)


def test_independent_covariance_is_block_diagonal():
    class Diag(kusari.Distribution):
        def __init__(self, v):
            self.v = kusari.as_variable(v)

        @property
        def batch_shape(self):
            return self.v.shape[:-1]

        @property
        def event_shape(self):
            return self.v.shape[-1:]

        @property
        def params(self):
            return {"v": self.v}

        @property
        def covariance(self):
            return self.v[..., None] * numpy.eye(self.v.shape[-1])

    v = numpy.arange(1.0, 13.0).reshape(2, 3, 2)
    cov = D.Independent(Diag(v), 1).covariance.array
    assert cov.shape == (2, 6, 6)
    for b in range(2):
        close(cov[b], numpy.diag(v[b].ravel()))


REF_SCRIPT = r"""
import json
import numpy as np
a = np.array([0.8, 2.0]); b = np.array([1.5, 0.7]); x = np.array([0.3, 0.6])
al = np.array([[1.0, 2.0, 3.0], [0.7, 0.9, 4.0]])
xs = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
out = {}
pairs = {'exp': (D.Exponential(a), D.Exponential(b)),
         'lap': (D.Laplace(a, b), D.Laplace(b, a)),
         'logn': (D.LogNormal(a, b), D.LogNormal(b, a))}
for k, (p, q) in pairs.items():
    out[k] = [p.log_prob(x).array.tolist(), p.entropy.array.tolist(), p.mean.array.tolist(),
              p.variance.array.tolist(), kl(p, q).array.tolist()]
# the reference install has no SciPy, so Chainer cannot evaluate lgamma/digamma there
pairs['gam'] = (D.Gamma(a, b), None)
pairs['beta'] = (D.Beta(a, b), None)
for k in ('gam', 'beta'):
    out[k] = [pairs[k][0].mean.array.tolist(), pairs[k][0].variance.array.tolist()]
out['lapcdf'] = pairs['lap'][0].cdf(x).array.tolist()
out['expcdf'] = pairs['exp'][0].cdf(x).array.tolist()
out['dir'] = [D.Dirichlet(al).mean.array.tolist(), D.Dirichlet(al).variance.array.tolist()]
n = D.Normal(al, al + 1)
i1, i2 = D.Independent(n), D.Independent(D.Normal(al * 2, al))
out['ind'] = [i1.log_prob(xs).array.tolist(), i1.entropy.array.tolist(),
              kl(i1, i2).array.tolist()]
np.random.seed(5)
out['samples'] = [pairs['exp'][0].sample(3).array.tolist(),
                  pairs['gam'][0].sample(3).array.tolist(),
                  pairs['beta'][0].sample(2).array.tolist(),
                  pairs['logn'][0].sample(2).array.tolist()]
print(json.dumps(out))
"""


@pytest.mark.chainer_ref
@needs_chainer
def test_matches_chainer():
    assert_matches_chainer(REF_SCRIPT)
