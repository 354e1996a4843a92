"""The beta distribution on ``[0, 1]``."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable, as_variable


def _lbeta(a: Variable, b: Variable) -> Variable:
    return F.lgamma(a) + F.lgamma(b) - F.lgamma(a + b)


class Beta(distribution.Distribution):
    """Beta distribution, :math:`p(x) = x^{\\alpha-1}(1-x)^{\\beta-1} / B(\\alpha,\\beta)`.

    Args:
        a: :math:`\\alpha`.
        b: :math:`\\beta`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Beta(numpy.array([2.0]), numpy.array([2.0]))
        >>> d.log_prob(numpy.array([0.5])).array.round(4).tolist()
        [0.4055]
    """

    def __init__(self, a: Any, b: Any) -> None:
        self._a = _util.param(a, "a", "Beta")
        self._b = _util.param(b, "b", "Beta")

    @property
    def a(self) -> Variable:
        return self._a

    @property
    def b(self) -> Variable:
        return self._b

    @property
    def batch_shape(self) -> tuple:
        return self.a.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"a": self.a, "b": self.b}

    @property
    def mean(self) -> Variable:
        return self.a / (self.a + self.b)

    @property
    def variance(self) -> Variable:
        s = self.a + self.b
        return self.a * self.b / (s ** 2 * (s + 1.0))

    @property
    def entropy(self) -> Variable:
        a, b = self.a, self.b
        s = a + b
        return (_lbeta(a, b) - (a - 1.0) * F.digamma(a) - (b - 1.0) * F.digamma(b)
                + (s - 2.0) * F.digamma(s))

    @property
    def support(self) -> str:
        return "[0, 1]"

    def log_prob(self, x: Any) -> Variable:
        x = as_variable(x)
        xp = x.xp
        a, b = self.a, self.b
        y = _util.mul_log(a - 1.0, x) + _util.mul_log(b - 1.0, 1.0 - x) - _lbeta(a, b)
        out = xp.broadcast_to((x.array < 0) | (x.array > 1), y.shape)
        return F.where(out, xp.full(y.shape, -xp.inf, y.dtype), y)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        a = self.a
        xp = a.xp
        eps = xp.random.beta(a.array, self.b.array, size=(n,) + a.shape)
        return Variable(eps.astype(a.dtype))


@distribution.register_kl(Beta, Beta)
def _kl_beta_beta(p: Beta, q: Beta) -> Variable:
    sp, sq = p.a + p.b, q.a + q.b
    return (_lbeta(q.a, q.b) - _lbeta(p.a, p.b) + (p.a - q.a) * F.digamma(p.a)
            + (p.b - q.b) * F.digamma(p.b) + (sq - sp) * F.digamma(sp))
