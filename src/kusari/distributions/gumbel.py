"""The Gumbel (type-I extreme value) distribution."""

from __future__ import annotations

import math
from typing import Any

import numpy

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _draws, _util
from kusari.distributions._loc_scale import LocScale
from kusari.variable import Variable

_EULER = float(numpy.euler_gamma)


class Gumbel(LocScale):
    """Gumbel distribution, :math:`p(x) = \\eta^{-1} \\exp(-z - e^{-z})` with
    :math:`z = (x - \\mu) / \\eta`.

    Args:
        loc: The location :math:`\\mu`.
        scale: The scale :math:`\\eta > 0`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Gumbel(numpy.array([0.0]), numpy.array([1.0]))
        >>> d.log_prob(numpy.array([0.0])).array.tolist()
        [-1.0]
        >>> d.cdf(numpy.array([0.0])).array.round(6).tolist()
        [0.367879]
    """

    @property
    def mean(self) -> Variable:
        return self.loc + _EULER * self.scale

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def variance(self) -> Variable:
        return (math.pi ** 2 / 6.0) * self.scale ** 2

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale) + (_EULER + 1.0)

    @property
    def support(self) -> str:
        return "real"

    def log_prob(self, x: Any) -> Variable:
        z = (x - self.loc) / self.scale
        return -F.log(self.scale) - z - F.exp(-z)

    def cdf(self, x: Any) -> Variable:
        return F.exp(-F.exp(-(x - self.loc) / self.scale))

    def icdf(self, x: Any) -> Variable:
        return self.loc - self.scale * F.log(-F.log(x))

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        loc = self.loc
        eps = _draws.draw(loc.xp, "gumbel", size=(n,) + loc.shape, dtype=loc.dtype)
        return self.scale * eps + self.loc


@distribution.register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p: Gumbel, q: Gumbel) -> Variable:
    r = p.scale / q.scale
    return (F.log(q.scale) - F.log(p.scale) + _EULER * (r - 1.0)
            + F.exp((q.loc - p.loc) / q.scale + F.lgamma(r + 1.0)) - 1.0
            + (p.loc - q.loc) / q.scale)
