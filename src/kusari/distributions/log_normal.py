"""The log-normal distribution."""

from __future__ import annotations

import math
from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable, as_variable

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


class LogNormal(distribution.Distribution):
    """Log-normal distribution: :math:`\\log x` is normal with mean :math:`\\mu` and
    standard deviation :math:`\\sigma`.

    Args:
        mu: :math:`\\mu`.
        sigma: :math:`\\sigma`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = LogNormal(numpy.array([0.0]), numpy.array([1.0]))
        >>> d.log_prob(numpy.array([1.0])).array.round(6).tolist()
        [-0.918939]
    """

    def __init__(self, mu: Any, sigma: Any) -> None:
        self._mu = _util.param(mu, "mu", "LogNormal")
        self._sigma = _util.param(sigma, "sigma", "LogNormal")

    @property
    def mu(self) -> Variable:
        return self._mu

    @property
    def sigma(self) -> Variable:
        return self._sigma

    @property
    def batch_shape(self) -> tuple:
        return self.mu.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"mu": self.mu, "sigma": self.sigma}

    @property
    def mean(self) -> Variable:
        return F.exp(self.mu + 0.5 * self.sigma ** 2)

    @property
    def variance(self) -> Variable:
        s2 = self.sigma ** 2
        return F.exp(2.0 * self.mu + s2) * F.expm1(s2)

    @property
    def entropy(self) -> Variable:
        return 0.5 + _HALF_LOG_2PI + F.log(self.sigma) + self.mu

    @property
    def support(self) -> str:
        return "positive"

    def log_prob(self, x: Any) -> Variable:
        x = as_variable(x)
        xp = x.xp
        pos = x.array > 0
        logx = F.log(F.where(pos, x, xp.ones_like(x.array)))
        y = (-_HALF_LOG_2PI - F.log(self.sigma) - logx
             - 0.5 * ((logx - self.mu) / self.sigma) ** 2)
        return F.where(xp.broadcast_to(pos, y.shape), y, xp.full(y.shape, -xp.inf, y.dtype))

    def cdf(self, x: Any) -> Variable:
        x = as_variable(x)
        xp = x.xp
        pos = x.array > 0
        logx = F.log(F.where(pos, x, xp.ones_like(x.array)))
        y = F.ndtr((logx - self.mu) / self.sigma)
        return F.where(xp.broadcast_to(pos, y.shape), y, xp.zeros(y.shape, y.dtype))

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        mu = self.mu
        eps = _util.standard_normal(mu.xp, (n,) + mu.shape, mu.dtype)
        return F.exp(mu + self.sigma * eps)


@distribution.register_kl(LogNormal, LogNormal)
def _kl_log_normal_log_normal(p: LogNormal, q: LogNormal) -> Variable:
    return (F.log(q.sigma) - F.log(p.sigma)
            + 0.5 * ((p.mu - q.mu) ** 2 + p.sigma ** 2) / q.sigma ** 2 - 0.5)
