"""The Dirichlet distribution on the probability simplex."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable


def _lbeta(alpha: Variable) -> Variable:
    return F.sum(F.lgamma(alpha), axis=-1) - F.lgamma(F.sum(alpha, axis=-1))


class Dirichlet(distribution.Distribution):
    """Dirichlet distribution, :math:`p(x) \\propto \\prod_i x_i^{\\alpha_i - 1}` on the
    simplex spanned by the last axis.

    Args:
        alpha: The concentrations :math:`\\alpha` (the last axis is the event axis).

    Raises:
        ValueError: ``alpha`` is 0-d.
        TypeError: ``alpha`` is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Dirichlet(numpy.array([1.0, 1.0, 1.0]))
        >>> d.log_prob(numpy.array([0.2, 0.3, 0.5])).array.round(4).tolist()
        0.6931
    """

    def __init__(self, alpha: Any) -> None:
        self._alpha = _util.param(alpha, "alpha", "Dirichlet")
        if self._alpha.ndim == 0:
            raise ValueError("Dirichlet: `alpha` needs an event axis (ndim >= 1)")

    @property
    def alpha(self) -> Variable:
        return self._alpha

    @property
    def alpha0(self) -> Variable:
        return F.sum(self.alpha, axis=-1)

    @property
    def batch_shape(self) -> tuple:
        return self.alpha.shape[:-1]

    @property
    def event_shape(self) -> tuple:
        return self.alpha.shape[-1:]

    @property
    def params(self) -> dict:
        return {"alpha": self.alpha}

    @property
    def mean(self) -> Variable:
        return self.alpha / F.expand_dims(self.alpha0, -1)

    @property
    def variance(self) -> Variable:
        a0 = F.expand_dims(self.alpha0, -1)
        return self.alpha * (a0 - self.alpha) / (a0 ** 2 * (a0 + 1.0))

    @property
    def entropy(self) -> Variable:
        a, a0 = self.alpha, self.alpha0
        return (_lbeta(a) + (a0 - a.shape[-1]) * F.digamma(a0)
                - F.sum((a - 1.0) * F.digamma(a), axis=-1))

    @property
    def support(self) -> str:
        return "[0, 1]"

    def log_prob(self, x: Any) -> Variable:
        return F.sum(_util.mul_log(self.alpha - 1.0, x), axis=-1) - _lbeta(self.alpha)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        a = self.alpha
        xp = a.xp
        rows = a.array.reshape(-1, a.shape[-1])
        draws = [xp.random.dirichlet(row, size=(n,)) for row in rows]
        if draws:
            eps = xp.stack(draws, axis=1)
        else:
            eps = xp.zeros((n, 0, a.shape[-1]))
        return Variable(eps.reshape((n,) + a.shape).astype(a.dtype))


@distribution.register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p: Dirichlet, q: Dirichlet) -> Variable:
    dig = F.digamma(p.alpha) - F.expand_dims(F.digamma(p.alpha0), -1)
    return _lbeta(q.alpha) - _lbeta(p.alpha) + F.sum((p.alpha - q.alpha) * dig, axis=-1)
