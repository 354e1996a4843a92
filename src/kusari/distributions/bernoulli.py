"""The Bernoulli distribution."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable, as_variable


class Bernoulli(distribution.Distribution):
    """Bernoulli distribution, :math:`P(x=1) = p`, :math:`P(x=0) = 1-p`.

    Args:
        p: The probability of 1. Either ``p`` or ``logit`` (not both) must be given.
        logit: :math:`\\log(p / (1-p))`.
        binary_check: If True, :meth:`log_prob` and :meth:`prob` give ``-inf`` and 0 at
            points other than 0 and 1 (otherwise they evaluate the smooth formula).

    Raises:
        ValueError: Both or neither of ``p`` and ``logit`` are given.
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Bernoulli(logit=numpy.array([0.0, 2.0]))
        >>> d.p.array.round(4).tolist()
        [0.5, 0.8808]
        >>> d.log_prob(numpy.array([1.0, 0.0])).array.round(4).tolist()
        [-0.6931, -2.1269]
    """

    def __init__(self, p: Any = None, logit: Any = None, binary_check: bool = False) -> None:
        _util.exclusive("Bernoulli", p=p, logit=logit)
        self._p = None if p is None else _util.param(p, "p", "Bernoulli")
        self._logit = None if logit is None else _util.param(logit, "logit", "Bernoulli")
        self.binary_check = binary_check

    @property
    def p(self) -> Variable:
        return self._p if self._p is not None else F.sigmoid(self._logit)

    @property
    def logit(self) -> Variable:
        if self._logit is not None:
            return self._logit
        p = self._p
        xp = p.xp
        a = p.array
        inner = (a > 0) & (a < 1)
        safe = F.where(inner, p, xp.full_like(a, 0.5))
        edge = xp.where(a >= 1, xp.inf, -xp.inf).astype(a.dtype)
        return F.where(inner, F.log(safe) - F.log1p(-safe), edge)

    @property
    def batch_shape(self) -> tuple:
        return self.p.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"logit": self.logit}

    @property
    def mean(self) -> Variable:
        return self.p

    @property
    def variance(self) -> Variable:
        p = self.p
        return p * (1.0 - p)

    @property
    def stddev(self) -> Variable:
        return self.variance ** 0.5

    @property
    def entropy(self) -> Variable:
        p = self.p
        return -_util.xlogx(p) - _util.xlogx(1.0 - p)

    @property
    def support(self) -> str:
        return "{0, 1}"

    def log_prob(self, x: Any) -> Variable:
        logit = self.logit
        xp = logit.xp
        xa = _util.data(x)
        finite = xp.isfinite(logit.array)
        safe = F.where(finite, logit, xp.zeros_like(logit.array))
        y = x * safe - F.softplus(safe)
        # an infinite logit puts all mass on one value
        la = xp.broadcast_to(logit.array, y.shape)
        hit = xp.where(la > 0, xa == 1, xa == 0)
        edge = xp.where(hit, 0.0, -xp.inf).astype(y.dtype)
        y = F.where(xp.broadcast_to(finite, y.shape), y, edge)
        if self.binary_check:
            bad = xp.broadcast_to((xa != 0) & (xa != 1), y.shape)
            y = F.where(bad, xp.full(y.shape, -xp.inf, y.dtype), y)
        return y

    def prob(self, x: Any) -> Variable:
        x = as_variable(x)
        p = self.p
        y = x * p + (1.0 - x) * (1.0 - p)
        if self.binary_check:
            xa = x.array
            y = y * ((xa == 0) | (xa == 1)).astype(y.dtype)
        return y

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        p = self.p.array
        xp = self.p.xp
        return Variable(xp.random.binomial(1, p, size=(n,) + p.shape))


@distribution.register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Variable:
    # p log(p/q) + (1-p) log((1-p)/(1-q)) in terms of the logits
    lp, lq = p.logit, q.logit
    return (lp - lq) * (p.p - 1.0) - F.softplus(-lp) + F.softplus(-lq)
