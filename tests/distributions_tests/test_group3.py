"""MultivariateNormal, Poisson, Geometric, Gumbel, Cauchy, Pareto, Chisquare."""

import math

import numpy
import pytest

import kusari
from kusari import distributions as D

from ._helpers import assert_matches_chainer, check_grad, close, needs_chainer


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(77)


def mc_kl(p, q, n=200000):
    x = p.sample(n)
    return (p.log_prob(x) - q.log_prob(x)).array.mean(0)


# ---- MultivariateNormal ------------------------------------------------------------

MVN_LOC = numpy.array([[0.0, 1.0, -1.0], [0.5, -0.5, 2.0]])
MVN_L = numpy.array([[[1.0, 0.0, 0.0], [0.5, 2.0, 0.0], [-0.3, 0.2, 0.7]],
                     [[0.8, 0.0, 0.0], [0.0, 1.5, 0.0], [0.4, -0.6, 1.2]]])
MVN_LOC2 = numpy.array([[1.0, 0.0, 0.5], [-0.5, 0.5, 1.0]])
MVN_L2 = numpy.array([[[1.5, 0.0, 0.0], [0.1, 0.9, 0.0], [0.2, -0.4, 1.1]],
                      [[1.0, 0.0, 0.0], [0.3, 0.6, 0.0], [0.0, 0.2, 2.0]]])


def mvn_ref_log_prob(x, loc, L):
    cov = L @ numpy.swapaxes(L, -1, -2)
    diff = x - loc
    sol = numpy.linalg.solve(cov, diff[..., None])[..., 0]
    maha = (diff * sol).sum(-1)
    logdet = numpy.linalg.slogdet(cov)[1]
    return -0.5 * (loc.shape[-1] * math.log(2 * math.pi) + logdet + maha)


def mvn_ref_kl(m1, L1, m2, L2):
    s1 = L1 @ numpy.swapaxes(L1, -1, -2)
    s2 = L2 @ numpy.swapaxes(L2, -1, -2)
    s2inv = numpy.linalg.inv(s2)
    dm = m2 - m1
    tr = numpy.trace(s2inv @ s1, axis1=-2, axis2=-1)
    maha = numpy.einsum("...i,...ij,...j->...", dm, s2inv, dm)
    ld = numpy.linalg.slogdet(s2)[1] - numpy.linalg.slogdet(s1)[1]
    return 0.5 * (tr + maha - m1.shape[-1] + ld)


def test_multivariate_normal_statistics():
    d = D.MultivariateNormal(MVN_LOC, scale_tril=MVN_L)
    cov = MVN_L @ numpy.swapaxes(MVN_L, -1, -2)
    assert d.batch_shape == (2,) and d.event_shape == (3,) and d.d == 3
    assert d.support == "real"
    assert set(d.params) == {"loc", "scale_tril"}
    close(d.mean, MVN_LOC)
    close(d.mode, MVN_LOC)
    close(d.covariance, cov)
    close(d.variance, numpy.diagonal(cov, axis1=-2, axis2=-1))
    close(d.stddev, numpy.sqrt(numpy.diagonal(cov, axis1=-2, axis2=-1)))
    ent = 0.5 * numpy.linalg.slogdet(2 * math.pi * math.e * cov)[1]
    close(d.entropy, ent)
    x = numpy.random.standard_normal((4, 2, 3))
    lp = d.log_prob(x)
    assert lp.shape == (4, 2)
    close(lp, mvn_ref_log_prob(x, MVN_LOC, MVN_L))
    close(d.prob(x), numpy.exp(mvn_ref_log_prob(x, MVN_LOC, MVN_L)))
    # a negative diagonal entry describes the same distribution
    flip = MVN_L * numpy.array([1.0, -1.0, 1.0])  # negate the middle column
    close(D.MultivariateNormal(MVN_LOC, scale_tril=flip).log_prob(x), lp.array)


def test_multivariate_normal_reads_only_the_lower_triangle():
    junk = MVN_L + numpy.triu(numpy.full((3, 3), 5.0), 1)
    d = D.MultivariateNormal(MVN_LOC, scale_tril=junk)
    ref = D.MultivariateNormal(MVN_LOC, scale_tril=MVN_L)
    x = MVN_LOC + 0.3
    close(d.log_prob(x), ref.log_prob(x).array)
    close(d.covariance, ref.covariance.array)
    numpy.random.seed(3)
    s1 = d.sample(5).array
    numpy.random.seed(3)
    close(s1, ref.sample(5).array)
    L = kusari.Variable(junk.copy())
    kusari.functions.sum(D.MultivariateNormal(MVN_LOC, scale_tril=L).log_prob(x)).backward()
    assert (L.grad[:, numpy.triu_indices(3, 1)[0], numpy.triu_indices(3, 1)[1]] == 0).all()


def test_multivariate_normal_sampling():
    d = D.MultivariateNormal(MVN_LOC, scale_tril=MVN_L)
    numpy.random.seed(11)
    s = d.sample((2, 3)).array
    numpy.random.seed(11)
    eps = numpy.random.standard_normal((6, 2, 3, 1))  # Chainer's draw: (n,) + loc.shape + (1,)
    close(s.reshape(6, 2, 3), MVN_LOC + (MVN_L @ eps)[..., 0], rtol=1e-12)
    assert s.shape == (2, 3, 2, 3)
    big = d.sample(200000).array
    close(big.mean(0), MVN_LOC, atol=0.02, rtol=0)
    for b in range(2):
        close(numpy.cov(big[:, b].T), MVN_L[b] @ MVN_L[b].T, atol=0.05, rtol=0.03)
    f32 = D.MultivariateNormal(MVN_LOC.astype(numpy.float32),
                               scale_tril=MVN_L.astype(numpy.float32))
    assert f32.sample(2).dtype == numpy.float32
    assert f32.log_prob(MVN_LOC.astype(numpy.float32)).dtype == numpy.float32
    assert d.sample(0).shape == (0, 2, 3)


def test_multivariate_normal_kl_and_gradients():
    p = D.MultivariateNormal(MVN_LOC, scale_tril=MVN_L)
    q = D.MultivariateNormal(MVN_LOC2, scale_tril=MVN_L2)
    ref = mvn_ref_kl(MVN_LOC, MVN_L, MVN_LOC2, MVN_L2)
    close(kusari.kl_divergence(p, q), ref)
    close(kusari.kl_divergence(p, p), numpy.zeros(2), atol=1e-12)
    close(kusari.kl_divergence(p, q), mc_kl(p, q), rtol=0.05, atol=0.02)
    close(kusari.cross_entropy(p, q), p.entropy.array + ref)
    x = numpy.random.standard_normal((2, 2, 3))
    check_grad(lambda m, L, x: D.MultivariateNormal(m, scale_tril=L).log_prob(x),
               MVN_LOC, MVN_L, x)
    check_grad(lambda L: D.MultivariateNormal(MVN_LOC, scale_tril=L).entropy, MVN_L)
    check_grad(lambda a, b, c, e: kusari.kl_divergence(D.MultivariateNormal(a, scale_tril=b),
                                                       D.MultivariateNormal(c, scale_tril=e)),
               MVN_LOC, MVN_L, MVN_LOC2, MVN_L2)
    # an unbatched distribution
    u = D.MultivariateNormal(MVN_LOC[0], scale_tril=MVN_L[0])
    assert u.batch_shape == () and u.sample(4).shape == (4, 3)
    close(u.log_prob(MVN_LOC2[0]), mvn_ref_log_prob(MVN_LOC2[0], MVN_LOC[0], MVN_L[0]))


def test_multivariate_normal_bad_arguments():
    with pytest.raises(ValueError, match="scale_tril"):
        D.MultivariateNormal(MVN_LOC)
    with pytest.raises(TypeError):
        D.MultivariateNormal(MVN_LOC, MVN_L)  # scale_tril is keyword only
    with pytest.raises(ValueError, match="shape"):
        D.MultivariateNormal(MVN_LOC, scale_tril=MVN_L[0])
    with pytest.raises(ValueError, match="event axis"):
        D.MultivariateNormal(numpy.array(0.0), scale_tril=numpy.ones((1, 1)))
    with pytest.raises(TypeError, match="floating-point"):
        D.MultivariateNormal(numpy.zeros(2, int), scale_tril=numpy.eye(2))
    with pytest.raises(ValueError, match="singular"):
        D.MultivariateNormal(numpy.zeros(2),
                             scale_tril=numpy.diag([1.0, 0.0])).log_prob(numpy.zeros(2))
    with pytest.raises(ValueError, match="event shapes"):
        kusari.kl_divergence(D.MultivariateNormal(MVN_LOC, scale_tril=MVN_L),
                             D.MultivariateNormal(numpy.zeros(2), scale_tril=numpy.eye(2)))


# ---- Poisson -----------------------------------------------------------------------

LAM = numpy.array([0.5, 2.0, 7.5])
lgamma = numpy.vectorize(math.lgamma)


def test_poisson():
    d = D.Poisson(LAM)
    assert d.batch_shape == (3,) and d.event_shape == ()
    assert d.support == "non negative integer" and set(d.params) == {"lam"}
    x = numpy.array([0.0, 3.0, 6.0])
    ref = x * numpy.log(LAM) - lgamma(x + 1) - LAM
    close(d.log_prob(x), ref)
    close(d.prob(x), [math.exp(-0.5), 8 * math.exp(-2) / 6, 7.5 ** 6 * math.exp(-7.5) / 720])
    ks = numpy.arange(60.0)[:, None]
    close(d.prob(numpy.broadcast_to(ks, (60, 3))).array.sum(0), numpy.ones(3))
    assert d.log_prob(numpy.array([-1.0, -2.0, 1.0])).array[:2].tolist() == [-numpy.inf] * 2
    close(D.Poisson(numpy.array([0.0])).log_prob(numpy.array([0.0])), [0.0])
    assert D.Poisson(numpy.array([0.0])).log_prob(numpy.array([1.0])).array[0] == -numpy.inf
    close(d.mean, LAM)
    close(d.variance, LAM)
    close(d.stddev, numpy.sqrt(LAM))
    numpy.random.seed(4)
    s = d.sample((2, 5)).array
    numpy.random.seed(4)
    close(s.reshape(10, 3), numpy.random.poisson(LAM, size=(10, 3)))
    assert s.shape == (2, 5, 3) and s.dtype == numpy.float64
    big = d.sample(200000).array
    assert (big >= 0).all() and (big == numpy.round(big)).all()
    close(big.mean(0), LAM, rtol=0.02)
    close(big.var(0), LAM, rtol=0.03)
    assert D.Poisson(LAM.astype(numpy.float32)).sample(2).dtype == numpy.float32
    check_grad(lambda lam: D.Poisson(lam).log_prob(x), LAM)
    q = D.Poisson(LAM[::-1].copy())
    kl = LAM * numpy.log(LAM / LAM[::-1]) - LAM + LAM[::-1]
    close(kusari.kl_divergence(d, q), kl)
    # the KL as a sum over the support
    pp = d.prob(numpy.broadcast_to(ks, (60, 3))).array
    qq = q.prob(numpy.broadcast_to(ks, (60, 3))).array
    close(kusari.kl_divergence(d, q), (pp * numpy.log(pp / qq)).sum(0), rtol=1e-8)
    check_grad(lambda a, b: kusari.kl_divergence(D.Poisson(a), D.Poisson(b)),
               LAM, LAM[::-1].copy())
    with pytest.raises(TypeError, match="floating-point"):
        D.Poisson(numpy.array([1, 2]))
    with pytest.raises(TypeError, match="ndarray or a Variable"):
        D.Poisson([1.0])
    with pytest.raises(ValueError, match="negative"):
        d.sample_n(-1)


# ---- Geometric ---------------------------------------------------------------------

GP = numpy.array([0.2, 0.5, 0.9])


def test_geometric():
    d = D.Geometric(GP)
    assert d.batch_shape == (3,) and d.event_shape == ()
    assert d.support == "positive integer" and set(d.params) == {"p"}
    x = numpy.array([1.0, 3.0, 2.0])
    close(d.log_prob(x), (x - 1) * numpy.log(1 - GP) + numpy.log(GP))
    close(d.prob(x), [0.2, 0.125, 0.09])
    ks = numpy.broadcast_to(numpy.arange(1.0, 400.0)[:, None], (399, 3))
    close(d.prob(ks).array.sum(0), numpy.ones(3))
    assert d.log_prob(numpy.array([0.0, -1.0, 0.5])).array.tolist() == [-numpy.inf] * 3
    one = D.Geometric(numpy.array([1.0, 1.0]))
    close(one.log_prob(numpy.array([1.0, 2.0])), [0.0, -numpy.inf])
    close(d.mean, 1 / GP)
    close(d.variance, (1 - GP) / GP ** 2)
    numpy.random.seed(8)
    s = d.sample((4, 2)).array
    numpy.random.seed(8)
    close(s.reshape(8, 3), numpy.random.geometric(GP, size=(8, 3)))
    assert s.shape == (4, 2, 3) and s.dtype == numpy.float64
    big = d.sample(200000).array
    assert (big >= 1).all()
    close(big.mean(0), 1 / GP, rtol=0.02)
    close(big.var(0), (1 - GP) / GP ** 2, rtol=0.05)
    check_grad(lambda p: D.Geometric(p).log_prob(x), GP)
    q = D.Geometric(GP[::-1].copy())
    pp, qq = d.prob(ks[:200]).array, q.prob(ks[:200]).array
    kl_sum = (pp * numpy.log(pp / qq)).sum(0)
    kl = (1 / GP - 1) * numpy.log((1 - GP) / (1 - GP[::-1])) + numpy.log(GP / GP[::-1])
    close(kusari.kl_divergence(d, q), kl)
    close(kusari.kl_divergence(d, q), kl_sum, rtol=1e-8)
    close(kusari.kl_divergence(one, D.Geometric(numpy.array([0.5, 1.0]))),
          [math.log(2), 0.0])
    assert kusari.kl_divergence(D.Geometric(numpy.array([0.5])),
                                D.Geometric(numpy.array([1.0]))).array[0] == numpy.inf
    check_grad(lambda a, b: kusari.kl_divergence(D.Geometric(a), D.Geometric(b)),
               GP, GP[::-1].copy())
    with pytest.raises(TypeError, match="floating-point"):
        D.Geometric(numpy.array([1]))


# ---- Gumbel ------------------------------------------------------------------------

GLOC = numpy.array([0.0, 1.0, -2.0])
GSC = numpy.array([1.0, 0.5, 2.0])
EULER = 0.5772156649015329


def test_gumbel():
    d = D.Gumbel(GLOC, GSC)
    assert d.batch_shape == (3,) and d.event_shape == ()
    assert d.support == "real" and set(d.params) == {"loc", "scale"}
    x = numpy.array([0.5, 0.0, -1.0])
    z = (x - GLOC) / GSC
    close(d.log_prob(x), -numpy.log(GSC) - z - numpy.exp(-z))
    close(d.cdf(x), numpy.exp(-numpy.exp(-z)))
    close(d.icdf(numpy.exp(-numpy.exp(-z))), x, atol=1e-12)
    close(d.mean, GLOC + EULER * GSC)
    close(d.mode, GLOC)
    close(d.variance, math.pi ** 2 / 6 * GSC ** 2)
    close(d.entropy, numpy.log(GSC) + EULER + 1)
    close(d.entropy, -d.log_prob(d.sample(200000)).array.mean(0), rtol=0.02, atol=0.01)
    numpy.random.seed(9)
    s = d.sample((3, 2)).array
    numpy.random.seed(9)
    close(s.reshape(6, 3), GSC * numpy.random.gumbel(size=(6, 3)) + GLOC, rtol=1e-12)
    big = d.sample(200000).array
    close(big.mean(0), GLOC + EULER * GSC, atol=0.02, rtol=0)
    close(big.var(0), math.pi ** 2 / 6 * GSC ** 2, rtol=0.03)
    assert D.Gumbel(GLOC.astype(numpy.float32), GSC.astype(numpy.float32)).sample(
        2).dtype == numpy.float32
    check_grad(lambda m, s, x: D.Gumbel(m, s).log_prob(x), GLOC, GSC, x)
    check_grad(lambda m, s: D.Gumbel(m, s).cdf(x), GLOC, GSC)
    check_grad(lambda s: D.Gumbel(GLOC, s).entropy, GSC)
    q = D.Gumbel(GLOC[::-1] + 0.3, GSC[::-1].copy())
    r = GSC / q.scale.array
    dm = (q.loc.array - GLOC) / q.scale.array
    kl = (numpy.log(q.scale.array / GSC) + EULER * (r - 1)
          + numpy.exp(dm + lgamma(r + 1)) - 1 - dm)
    close(kusari.kl_divergence(d, q), kl)
    close(kusari.kl_divergence(d, d), numpy.zeros(3), atol=1e-12)
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.02)
    check_grad(lambda a, b, c, e: kusari.kl_divergence(D.Gumbel(a, b), D.Gumbel(c, e)),
               GLOC, GSC, q.loc.array.copy(), q.scale.array.copy())
    with pytest.raises(TypeError, match="floating-point"):
        D.Gumbel(numpy.array([0]), GSC)


# ---- Cauchy ------------------------------------------------------------------------

CLOC = numpy.array([0.0, 1.0, -2.0])
CSC = numpy.array([1.0, 0.5, 2.0])


def test_cauchy():
    d = D.Cauchy(CLOC, CSC)
    assert d.batch_shape == (3,) and d.event_shape == ()
    assert d.support == "real" and set(d.params) == {"loc", "scale"}
    x = numpy.array([0.5, 0.0, -1.0])
    ref = numpy.log(CSC / (math.pi * ((x - CLOC) ** 2 + CSC ** 2)))
    close(d.log_prob(x), ref)
    close(d.prob(x), numpy.exp(ref))
    cdf = numpy.arctan((x - CLOC) / CSC) / math.pi + 0.5
    close(d.cdf(x), cdf)
    close(d.icdf(cdf), x, atol=1e-12)
    close(d.icdf(numpy.full(3, 0.75)), CLOC + CSC)  # the upper quartile
    close(d.mode, CLOC)
    close(d.entropy, numpy.log(4 * math.pi * CSC))
    close(d.entropy, -d.log_prob(d.sample(400000)).array.mean(0), rtol=0.02, atol=0.02)
    with pytest.warns(RuntimeWarning, match="Mean"):
        m = d.mean
    assert m.shape == (3,) and numpy.isnan(m.array).all()
    with pytest.warns(RuntimeWarning, match="Variance"):
        v = d.variance
    assert v.shape == (3,) and numpy.isnan(v.array).all()
    numpy.random.seed(10)
    s = d.sample((2, 2)).array
    numpy.random.seed(10)
    close(s.reshape(4, 3), CSC * numpy.random.standard_cauchy((4, 3)) + CLOC, rtol=1e-12)
    big = d.sample(200000).array
    close(numpy.median(big, 0), CLOC, atol=0.03, rtol=0)
    q75, q25 = numpy.percentile(big, [75, 25], axis=0)
    close((q75 - q25) / 2, CSC, rtol=0.03)
    assert D.Cauchy(CLOC.astype(numpy.float32), CSC.astype(numpy.float32)).sample(
        2).dtype == numpy.float32
    check_grad(lambda m, s, x: D.Cauchy(m, s).log_prob(x), CLOC, CSC, x)
    check_grad(lambda m, s: D.Cauchy(m, s).cdf(x), CLOC, CSC)
    check_grad(lambda u: D.Cauchy(CLOC, CSC).icdf(u), numpy.array([0.2, 0.6, 0.9]))
    with pytest.raises(TypeError, match="floating-point"):
        D.Cauchy(CLOC, numpy.array([1, 2, 3]))
    with pytest.raises(kusari.distribution.KLNotRegisteredError):
        kusari.kl_divergence(d, d)


# ---- Pareto ------------------------------------------------------------------------

PSC = numpy.array([1.0, 0.5, 2.0])
PAL = numpy.array([3.0, 1.5, 4.5])


def test_pareto():
    d = D.Pareto(PSC, PAL)
    assert d.batch_shape == (3,) and d.event_shape == ()
    assert d.support == "[scale, inf]" and set(d.params) == {"scale", "alpha"}
    x = numpy.array([1.5, 0.6, 5.0])
    ref = numpy.log(PAL) + PAL * numpy.log(PSC) - (PAL + 1) * numpy.log(x)
    close(d.log_prob(x), ref)
    close(d.prob(x), PAL * PSC ** PAL / x ** (PAL + 1))
    assert d.log_prob(numpy.array([0.9, 0.0, -1.0])).array.tolist() == [-numpy.inf] * 3
    close(d.log_prob(PSC), numpy.log(PAL / PSC))  # the density at the minimum
    cdf = 1 - (PSC / x) ** PAL
    close(d.cdf(x), cdf)
    close(d.cdf(numpy.array([0.5, 0.0, 1.0])), numpy.zeros(3))
    close(d.icdf(cdf), x)
    close(d.mode, PSC)
    close(d.mean, PAL * PSC / (PAL - 1))
    var = PSC ** 2 * PAL / ((PAL - 1) ** 2 * (PAL - 2))
    close(d.variance.array[[0, 2]], var[[0, 2]])
    assert d.variance.array[1] == numpy.inf
    heavy = D.Pareto(numpy.array([1.0, 1.0]), numpy.array([0.5, 1.0]))
    assert heavy.mean.array.tolist() == [numpy.inf, numpy.inf]
    close(d.entropy, numpy.log(PSC / PAL) + 1 / PAL + 1)
    close(d.entropy, -d.log_prob(d.sample(200000)).array.mean(0), rtol=0.03, atol=0.01)
    numpy.random.seed(12)
    s = d.sample((2, 3)).array
    numpy.random.seed(12)
    close(s.reshape(6, 3), PSC * (numpy.random.pareto(PAL, (6, 3)) + 1), rtol=1e-12)
    big = d.sample(200000).array
    assert (big >= PSC).all()
    close(numpy.median(big, 0), PSC * 2 ** (1 / PAL), rtol=0.01)
    close(big[:, 2].mean(), (PAL * PSC / (PAL - 1))[2], rtol=0.01)
    assert D.Pareto(PSC.astype(numpy.float32), PAL.astype(numpy.float32)).sample(
        2).dtype == numpy.float32
    check_grad(lambda s, a, x: D.Pareto(s, a).log_prob(x), PSC, PAL, x)
    check_grad(lambda s, a: D.Pareto(s, a).cdf(x), PSC, PAL)
    check_grad(lambda s, a: D.Pareto(s, a).entropy, PSC, PAL)
    q = D.Pareto(PSC * 0.8, PAL[::-1].copy())
    a2, s2 = PAL[::-1], PSC * 0.8
    kl = a2 * numpy.log(PSC / s2) + numpy.log(PAL / a2) + (a2 - PAL) / PAL
    close(kusari.kl_divergence(d, q), kl)
    close(kusari.kl_divergence(d, q), mc_kl(d, q), rtol=0.05, atol=0.01)
    close(kusari.kl_divergence(d, d), numpy.zeros(3), atol=1e-12)
    assert kusari.kl_divergence(q, d).array.tolist() == [numpy.inf] * 3
    check_grad(lambda a, b, c, e: kusari.kl_divergence(D.Pareto(a, b), D.Pareto(c, e)),
               PSC, PAL, s2.copy(), a2.copy())
    with pytest.raises(TypeError, match="floating-point"):
        D.Pareto(PSC, numpy.array([1, 2, 3]))


# ---- Chisquare ---------------------------------------------------------------------

CK = numpy.array([1.0, 2.0, 5.0])


def digamma(x):
    h = 1e-5
    return (lgamma(x + h) - lgamma(x - h)) / (2 * h)


def test_chisquare():
    d = D.Chisquare(CK)
    assert d.batch_shape == (3,) and d.event_shape == ()
    assert d.support == "positive" and set(d.params) == {"k"}
    x = numpy.array([0.5, 2.0, 4.0])
    h = CK / 2
    ref = (h - 1) * numpy.log(x) - x / 2 - lgamma(h) - h * math.log(2)
    close(d.log_prob(x), ref)
    close(d.prob(numpy.array([1.0, 2.0, 1.0]))[1:2].array, [math.exp(-1) / 2])
    lp0 = d.log_prob(numpy.zeros(3)).array
    assert lp0[0] == numpy.inf and lp0[2] == -numpy.inf
    close(lp0[1], -math.log(2))
    assert d.log_prob(numpy.full(3, -1.0)).array.tolist() == [-numpy.inf] * 3
    # same density as Gamma(k / 2, 2)
    close(d.log_prob(x), D.Gamma(h, numpy.full(3, 2.0)).log_prob(x).array)
    close(d.mean, CK)
    close(d.variance, 2 * CK)
    ent = h + math.log(2) + lgamma(h) + (1 - h) * digamma(h)
    close(d.entropy, ent, rtol=1e-8)
    close(d.entropy, -d.log_prob(d.sample(200000)).array.mean(0), rtol=0.03, atol=0.02)
    numpy.random.seed(13)
    s = d.sample((2, 2)).array
    numpy.random.seed(13)
    close(s.reshape(4, 3), numpy.random.chisquare(CK, (4, 3)), rtol=1e-12)
    big = d.sample(200000).array
    assert (big >= 0).all()
    close(big.mean(0), CK, rtol=0.02)
    close(big.var(0), 2 * CK, rtol=0.05)
    assert D.Chisquare(CK.astype(numpy.float32)).sample(2).dtype == numpy.float32
    check_grad(lambda k, x: D.Chisquare(k).log_prob(x), CK, x)
    check_grad(lambda k: D.Chisquare(k).entropy, CK)
    with pytest.raises(TypeError, match="floating-point"):
        D.Chisquare(numpy.array([1, 2]))


# ---- against Chainer ---------------------------------------------------------------

# The reference install has no SciPy: Chainer cannot evaluate lgamma/digamma there
# (Poisson.log_prob, Gumbel KL, Chisquare entropy/log_prob) nor its triangular inverse
# (MultivariateNormal.log_prob and KL); those are checked against closed forms above.
REF_SCRIPT = r"""
import json
import numpy as np
f = np.float32
loc = np.array([[0.0, 1.0, -1.0], [0.5, -0.5, 2.0]], f)
L = np.array([[[1.0, 0.0, 0.0], [0.5, 2.0, 0.0], [-0.3, 0.2, 0.7]],
              [[0.8, 0.0, 0.0], [0.0, 1.5, 0.0], [0.4, -0.6, 1.2]]], f)
a = np.array([0.8, 2.0]); b = np.array([1.5, 0.7]); x = np.array([1.0, 3.0])
u = np.array([0.3, 0.8])
out = {}
m = D.MultivariateNormal(loc, scale_tril=L)
out['mvn'] = [m.entropy.array.tolist(), m.covariance.array.tolist(), m.mean.array.tolist()]
g = D.Geometric(np.array([0.2, 0.6])); g2 = D.Geometric(np.array([0.5, 0.3]))
out['geo'] = [g.log_prob(x).array.tolist(), g.mean.array.tolist(),
              g.variance.array.tolist(), kl(g, g2).array.tolist()]
po, po2 = D.Poisson(a), D.Poisson(b)
out['poi'] = [po.mean.array.tolist(), po.variance.array.tolist(), kl(po, po2).array.tolist()]
gu, gu2 = D.Gumbel(a, b), D.Gumbel(b, a)
out['gum'] = [gu.log_prob(x).array.tolist(), gu.entropy.array.tolist(),
              gu.mean.array.tolist(), gu.variance.array.tolist()]
c = D.Cauchy(a, b)
out['cau'] = [c.log_prob(x).array.tolist(), c.entropy.array.tolist(), c.cdf(x).array.tolist(),
              c.icdf(u).array.tolist()]
pa, pa2 = D.Pareto(a, b + 2), D.Pareto(b, a)
out['par'] = [pa.log_prob(x).array.tolist(), pa.entropy.array.tolist(),
              pa.mean.array.tolist(), pa.variance.array.tolist(),
              D.Pareto(a, b).mean.array.tolist(), D.Pareto(a, b).variance.array.tolist(),
              kl(pa, pa2).array.tolist(), kl(pa2, pa).array.tolist()]
ch = D.Chisquare(a)
out['chi'] = [ch.mean.array.tolist(), ch.variance.array.tolist()]
np.random.seed(5)
out['samples'] = [m.sample(3).array.tolist(), po.sample(3).array.tolist(),
                  g.sample(3).array.tolist(), gu.sample(3).array.tolist(),
                  c.sample(3).array.tolist(), pa.sample(3).array.tolist(),
                  ch.sample(3).array.tolist()]
print(json.dumps(out))
"""


@pytest.mark.chainer_ref
@needs_chainer
def test_matches_chainer():
    assert_matches_chainer(REF_SCRIPT)
