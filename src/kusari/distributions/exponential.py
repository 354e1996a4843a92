"""The exponential distribution."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable


class Exponential(distribution.Distribution):
    """Exponential distribution, :math:`p(x) = \\lambda e^{-\\lambda x}` for :math:`x \\ge 0`.

    Args:
        lam: The rate :math:`\\lambda`.

    Raises:
        TypeError: ``lam`` is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Exponential(numpy.array([2.0]))
        >>> d.log_prob(numpy.array([[0.5], [-1.0]])).array.round(4).tolist()
        [[-0.3069], [-inf]]
    """

    def __init__(self, lam: Any) -> None:
        self._lam = _util.param(lam, "lam", "Exponential")

    @property
    def lam(self) -> Variable:
        return self._lam

    @property
    def batch_shape(self) -> tuple:
        return self.lam.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"lam": self.lam}

    @property
    def mean(self) -> Variable:
        return 1.0 / self.lam

    @property
    def variance(self) -> Variable:
        return 1.0 / self.lam ** 2

    @property
    def stddev(self) -> Variable:
        return 1.0 / self.lam

    @property
    def entropy(self) -> Variable:
        return 1.0 - F.log(self.lam)

    @property
    def support(self) -> str:
        return "positive"

    def log_prob(self, x: Any) -> Variable:
        y = F.log(self.lam) - self.lam * x
        xp = y.xp
        ok = xp.broadcast_to(_util.data(x) >= 0, y.shape)
        return F.where(ok, y, xp.full(y.shape, -xp.inf, y.dtype))

    def cdf(self, x: Any) -> Variable:
        y = -F.expm1(-self.lam * x)
        xp = y.xp
        ok = xp.broadcast_to(_util.data(x) >= 0, y.shape)
        return F.where(ok, y, xp.zeros(y.shape, y.dtype))

    def icdf(self, x: Any) -> Variable:
        return -F.log1p(-x) / self.lam

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        lam = self.lam
        xp = lam.xp
        shape = (n,) + lam.shape
        if xp.__name__ == "numpy":
            eps = xp.random.standard_exponential(shape).astype(lam.dtype)
        else:
            eps = xp.random.standard_exponential(shape, dtype=lam.dtype)
        return eps / lam


@distribution.register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p: Exponential, q: Exponential) -> Variable:
    return F.log(p.lam) - F.log(q.lam) + q.lam / p.lam - 1.0
