"""The gamma distribution (shape ``k``, scale ``theta``)."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable, as_variable


class Gamma(distribution.Distribution):
    """Gamma distribution, :math:`p(x) = x^{k-1} e^{-x/\\theta} / (\\Gamma(k)\\theta^k)`.

    Args:
        k: The shape :math:`k`.
        theta: The scale :math:`\\theta`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Gamma(numpy.array([1.0]), numpy.array([2.0]))
        >>> d.log_prob(numpy.array([0.0, 2.0])).array.round(4).tolist()
        [-0.6931, -1.6931]
    """

    def __init__(self, k: Any, theta: Any) -> None:
        self._k = _util.param(k, "k", "Gamma")
        self._theta = _util.param(theta, "theta", "Gamma")

    @property
    def k(self) -> Variable:
        return self._k

    @property
    def theta(self) -> Variable:
        return self._theta

    @property
    def batch_shape(self) -> tuple:
        return self.k.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"k": self.k, "theta": self.theta}

    @property
    def mean(self) -> Variable:
        return self.k * self.theta

    @property
    def variance(self) -> Variable:
        return self.k * self.theta ** 2

    @property
    def entropy(self) -> Variable:
        k = self.k
        return k + F.log(self.theta) + F.lgamma(k) + (1.0 - k) * F.digamma(k)

    @property
    def support(self) -> str:
        return "positive"

    def log_prob(self, x: Any) -> Variable:
        x = as_variable(x)
        xp = x.xp
        k, theta = self.k, self.theta
        y = (_util.mul_log(k - 1.0, x) - x / theta - F.lgamma(k) - k * F.log(theta))
        neg = xp.broadcast_to(x.array < 0, y.shape)
        return F.where(neg, xp.full(y.shape, -xp.inf, y.dtype), y)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        k = self.k
        xp = k.xp
        eps = xp.random.gamma(k.array, size=(n,) + k.shape).astype(k.dtype)
        return F.broadcast_to(self.theta, eps.shape) * eps


@distribution.register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p: Gamma, q: Gamma) -> Variable:
    return ((p.k - q.k) * F.digamma(p.k) - F.lgamma(p.k) + F.lgamma(q.k)
            + q.k * (F.log(q.theta) - F.log(p.theta)) + p.k * (p.theta / q.theta - 1.0))
