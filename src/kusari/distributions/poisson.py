"""The Poisson distribution."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _draws, _util
from kusari.variable import Variable, as_variable


class Poisson(distribution.Distribution):
    """Poisson distribution, :math:`P(x) = \\lambda^x e^{-\\lambda} / x!` for
    :math:`x = 0, 1, 2, \\ldots`.

    Args:
        lam: The rate :math:`\\lambda`.

    Raises:
        TypeError: ``lam`` is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Poisson(numpy.array([2.0]))
        >>> d.log_prob(numpy.array([[0.0], [3.0], [-1.0]])).array.round(4).tolist()
        [[-2.0], [-1.7123], [-inf]]
    """

    def __init__(self, lam: Any) -> None:
        self._lam = _util.param(lam, "lam", "Poisson")

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
        return self.lam

    @property
    def variance(self) -> Variable:
        return self.lam

    @property
    def support(self) -> str:
        return "non negative integer"

    def log_prob(self, x: Any) -> Variable:
        """The log probability mass at ``x`` (``-inf`` where ``x < 0``).

        ``x`` is data, not differentiated; values between the integers get the
        continuous extension through :math:`\\log\\Gamma(x + 1)`, as in Chainer.
        """
        lam = self.lam
        xp = lam.xp
        xa = xp.asarray(_util.data(x)).astype(lam.dtype)
        neg = xa < 0
        xs = xp.where(neg, xp.zeros_like(xa), xa)
        y = _util.mul_log(as_variable(xs), lam) - F.lgamma(xs + 1) - lam
        return F.where(xp.broadcast_to(neg, y.shape), xp.full(y.shape, -xp.inf, y.dtype), y)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        lam = self.lam
        eps = _draws.draw(lam.xp, "poisson", lam.array, size=(n,) + lam.shape,
                          dtype=lam.dtype, float_dtype=False)
        return Variable(eps)


@distribution.register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p: Poisson, q: Poisson) -> Variable:
    return p.lam * (F.log(p.lam) - F.log(q.lam)) - p.lam + q.lam
