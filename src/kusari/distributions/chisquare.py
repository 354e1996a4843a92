"""The chi-square distribution."""

from __future__ import annotations

import math
from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _draws, _util
from kusari.variable import Variable, as_variable

_LOG2 = math.log(2.0)


class Chisquare(distribution.Distribution):
    """Chi-square distribution, :math:`p(x) = x^{k/2-1} e^{-x/2} / (2^{k/2}\\Gamma(k/2))`
    for :math:`x \\ge 0`.

    Args:
        k: The degrees of freedom :math:`k > 0`.

    Raises:
        TypeError: ``k`` is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Chisquare(numpy.array([2.0]))
        >>> d.log_prob(numpy.array([[2.0], [-1.0]])).array.round(6).tolist()
        [[-1.693147], [-inf]]
    """

    def __init__(self, k: Any) -> None:
        self._k = _util.param(k, "k", "Chisquare")

    @property
    def k(self) -> Variable:
        return self._k

    @property
    def batch_shape(self) -> tuple:
        return self.k.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"k": self.k}

    @property
    def mean(self) -> Variable:
        return self.k

    @property
    def variance(self) -> Variable:
        return 2.0 * self.k

    @property
    def entropy(self) -> Variable:
        h = 0.5 * self.k
        return h + _LOG2 + F.lgamma(h) + (1.0 - h) * F.digamma(h)

    @property
    def support(self) -> str:
        return "positive"

    def log_prob(self, x: Any) -> Variable:
        """The log density at ``x`` (``-inf`` where ``x < 0``)."""
        x = as_variable(x)
        xp = x.xp
        h = 0.5 * self.k
        y = _util.mul_log(h - 1.0, x) - 0.5 * x - F.lgamma(h) - _LOG2 * h
        neg = xp.broadcast_to(x.array < 0, y.shape)
        return F.where(neg, xp.full(y.shape, -xp.inf, y.dtype), y)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        k = self.k
        eps = _draws.draw(k.xp, "chisquare", k.array, size=(n,) + k.shape, dtype=k.dtype)
        return Variable(eps)
