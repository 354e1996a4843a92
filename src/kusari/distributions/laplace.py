"""The Laplace (double exponential) distribution."""

from __future__ import annotations

import math
from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.distributions._loc_scale import LocScale
from kusari.variable import Variable, as_variable


class Laplace(LocScale):
    """Laplace distribution, :math:`p(x) = \\exp(-|x-\\mu|/b) / 2b`.

    Args:
        loc: The location :math:`\\mu`.
        scale: The scale :math:`b`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Laplace(numpy.array([0.0]), numpy.array([1.0]))
        >>> d.cdf(numpy.array([0.0])).array.tolist()
        [0.5]
    """

    @property
    def mean(self) -> Variable:
        return self.loc

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def variance(self) -> Variable:
        return 2.0 * self.scale ** 2

    @property
    def stddev(self) -> Variable:
        return math.sqrt(2.0) * self.scale

    @property
    def entropy(self) -> Variable:
        return 1.0 + F.log(2.0 * self.scale)

    @property
    def support(self) -> str:
        return "real"

    def log_prob(self, x: Any) -> Variable:
        return -F.log(2.0 * self.scale) - abs(x - self.loc) / self.scale

    def prob(self, x: Any) -> Variable:
        return F.exp(-abs(x - self.loc) / self.scale) / (2.0 * self.scale)

    def cdf(self, x: Any) -> Variable:
        z = (x - self.loc) / self.scale
        xp = z.xp
        neg = z.array < 0
        zero = xp.zeros_like(z.array)
        # each branch sees only its own half-line, so nothing overflows and the
        # derivative at z = 0 is the density's 0.5
        left = 0.5 * F.exp(F.where(neg, z, zero))
        right = 1.0 - 0.5 * F.exp(-F.where(neg, zero, z))
        return F.where(neg, left, right)

    def icdf(self, x: Any) -> Variable:
        x = as_variable(x)
        h = 1.0 - 2.0 * x
        m = F.log1p(-abs(h))
        return self.loc + self.scale * F.where(h.array >= 0, m, -m)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        loc = self.loc
        xp = loc.xp
        eps = xp.random.laplace(size=(n,) + loc.shape).astype(loc.dtype)
        return loc + self.scale * eps


@distribution.register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p: Laplace, q: Laplace) -> Variable:
    d = abs(p.loc - q.loc)
    return (F.log(q.scale) - F.log(p.scale) + d / q.scale
            + p.scale / q.scale * F.exp(-d / p.scale) - 1.0)
