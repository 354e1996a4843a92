"""The normal (Gaussian) distribution."""

from __future__ import annotations

import math
from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.distributions._loc_scale import LocScale
from kusari.variable import Variable

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


class Normal(LocScale):
    """Normal distribution, :math:`p(x) = \\exp(-(x-\\mu)^2 / 2\\sigma^2) /
    \\sqrt{2\\pi\\sigma^2}`.

    Args:
        loc: The mean :math:`\\mu` (an array or Variable).
        scale: The standard deviation :math:`\\sigma`.
        log_scale: :math:`\\log\\sigma`, instead of ``scale``.

    Raises:
        ValueError: Both or neither of ``scale`` and ``log_scale`` are given.
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Normal(numpy.array([0.0]), log_scale=numpy.array([0.0]))
        >>> d.log_prob(numpy.array([0.0])).array.round(6).tolist()
        [-0.918939]
    """

    def __init__(self, loc: Any, scale: Any = None, *, log_scale: Any = None) -> None:
        _util.exclusive("Normal", scale=scale, log_scale=log_scale)
        self._loc = _util.param(loc, "loc", "Normal")
        self._scale = None if scale is None else _util.param(scale, "scale", "Normal")
        self._log_scale = (None if log_scale is None
                           else _util.param(log_scale, "log_scale", "Normal"))

    @property
    def scale(self) -> Variable:
        return self._scale if self._scale is not None else F.exp(self._log_scale)

    @property
    def log_scale(self) -> Variable:
        return self._log_scale if self._log_scale is not None else F.log(self._scale)

    @property
    def mean(self) -> Variable:
        return self.loc

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def variance(self) -> Variable:
        return self.scale ** 2

    @property
    def stddev(self) -> Variable:
        return self.scale

    @property
    def entropy(self) -> Variable:
        return self.log_scale + (0.5 + _HALF_LOG_2PI)

    @property
    def support(self) -> str:
        return "real"

    def log_prob(self, x: Any) -> Variable:
        z = (x - self.loc) / self.scale
        return -0.5 * z ** 2 - self.log_scale - _HALF_LOG_2PI

    def prob(self, x: Any) -> Variable:
        z = (x - self.loc) / self.scale
        return F.exp(-0.5 * z ** 2) / (self.scale * math.sqrt(2.0 * math.pi))

    def cdf(self, x: Any) -> Variable:
        return F.ndtr((x - self.loc) / self.scale)

    def log_cdf(self, x: Any) -> Variable:
        return F.log_ndtr((x - self.loc) / self.scale)

    def survival_function(self, x: Any) -> Variable:
        return F.ndtr((self.loc - x) / self.scale)

    def log_survival_function(self, x: Any) -> Variable:
        return F.log_ndtr((self.loc - x) / self.scale)

    def icdf(self, x: Any) -> Variable:
        return self.loc + self.scale * F.ndtri(x)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        eps = _util.standard_normal(self.loc.xp, (n,) + self.loc.shape, self.loc.dtype)
        return self.loc + self.scale * eps


@distribution.register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Variable:
    return (q.log_scale - p.log_scale
            + 0.5 * (p.variance + (p.loc - q.loc) ** 2) / q.variance - 0.5)
