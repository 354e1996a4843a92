"""The Cauchy distribution."""

from __future__ import annotations

import math
import warnings
from typing import Any

from kusari import functions as F
from kusari.distributions import _draws, _util
from kusari.distributions._loc_scale import LocScale
from kusari.variable import Variable


class Cauchy(LocScale):
    """Cauchy distribution, :math:`p(x) = \\gamma / (\\pi ((x - x_0)^2 + \\gamma^2))`.

    The mean and the variance are undefined: :attr:`mean` and :attr:`variance` warn
    and return NaN, as in Chainer.

    Args:
        loc: The location :math:`x_0`.
        scale: The scale :math:`\\gamma > 0`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Cauchy(numpy.array([0.0]), numpy.array([1.0]))
        >>> d.cdf(numpy.array([1.0])).array.tolist()
        [0.75]
        >>> d.log_prob(numpy.array([1.0])).array.round(6).tolist()
        [-1.837877]
    """

    def _undefined(self, what: str) -> Variable:
        warnings.warn(f"{what} of the cauchy distribution is undefined.", RuntimeWarning,
                      stacklevel=3)
        xp = self.loc.xp
        shape = self.batch_shape
        return Variable(xp.full(shape, xp.nan, dtype=self.loc.dtype))

    @property
    def mean(self) -> Variable:
        """NaN, with a :class:`RuntimeWarning` (the mean is undefined)."""
        return self._undefined("Mean")

    @property
    def variance(self) -> Variable:
        """NaN, with a :class:`RuntimeWarning` (the variance is undefined)."""
        return self._undefined("Variance")

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def entropy(self) -> Variable:
        return F.log(4.0 * math.pi * self.scale)

    @property
    def support(self) -> str:
        return "real"

    def log_prob(self, x: Any) -> Variable:
        return (F.log(self.scale) - math.log(math.pi)
                - F.log((x - self.loc) ** 2 + self.scale ** 2))

    def cdf(self, x: Any) -> Variable:
        return F.arctan((x - self.loc) / self.scale) / math.pi + 0.5

    def icdf(self, x: Any) -> Variable:
        return self.loc + self.scale * F.tan((x - 0.5) * math.pi)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        loc = self.loc
        eps = _draws.draw(loc.xp, "standard_cauchy", size=(n,) + loc.shape, dtype=loc.dtype)
        return self.scale * eps + self.loc
