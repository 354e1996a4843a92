"""The continuous uniform distribution."""

from __future__ import annotations

import math
from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable


class Uniform(distribution.Distribution):
    """Uniform distribution on :math:`[l, h]`, density :math:`1 / (h - l)`.

    Give either ``low`` and ``high`` or ``loc`` and ``scale`` (``low = loc``,
    ``high = loc + scale``), as keyword arguments.

    Args:
        low: The lower bound :math:`l`.
        high: The upper bound :math:`h`.
        loc: The lower bound, with ``scale``.
        scale: The width :math:`h - l`, with ``loc``.

    Raises:
        ValueError: Not exactly one of the pairs is given in full.
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Uniform(low=numpy.array([0.0]), high=numpy.array([4.0]))
        >>> d.log_prob(numpy.array([[1.0], [5.0]])).array.round(4).tolist()
        [[-1.3863], [-inf]]
        >>> d.cdf(numpy.array([1.0])).array.tolist()
        [0.25]
    """

    def __init__(self, *, low: Any = None, high: Any = None, loc: Any = None,
                 scale: Any = None) -> None:
        by_bounds = low is not None and high is not None
        by_loc = loc is not None and scale is not None
        given = sum(v is not None for v in (low, high, loc, scale))
        if not (by_bounds ^ by_loc) or given != 2:
            raise ValueError("Uniform: either `low, high` or `loc, scale` (not both) must "
                             "have a value")
        self._use_low_high = by_bounds
        if by_bounds:
            self._a = _util.param(low, "low", "Uniform")
            self._b = _util.param(high, "high", "Uniform")
        else:
            self._a = _util.param(loc, "loc", "Uniform")
            self._b = _util.param(scale, "scale", "Uniform")

    @property
    def low(self) -> Variable:
        return self._a

    @property
    def high(self) -> Variable:
        return self._b if self._use_low_high else self._a + self._b

    @property
    def loc(self) -> Variable:
        return self._a

    @property
    def scale(self) -> Variable:
        return self._b - self._a if self._use_low_high else self._b

    @property
    def batch_shape(self) -> tuple:
        return self.low.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        if self._use_low_high:
            return {"low": self.low, "high": self.high}
        return {"loc": self.loc, "scale": self.scale}

    @property
    def mean(self) -> Variable:
        return self.loc + 0.5 * self.scale

    @property
    def variance(self) -> Variable:
        return self.scale ** 2 / 12.0

    @property
    def stddev(self) -> Variable:
        return self.scale / math.sqrt(12.0)

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale)

    @property
    def support(self) -> str:
        return "[low, high]"

    def log_prob(self, x: Any) -> Variable:
        xa = _util.data(x)
        xp = self.low.xp
        inside = (xa >= self.low.array) & (xa <= self.high.array)
        shape = inside.shape
        val = F.broadcast_to(-F.log(self.scale), shape)
        return F.where(inside, val, xp.full(shape, -xp.inf, val.dtype))

    def cdf(self, x: Any) -> Variable:
        return F.clip((x - self.loc) / self.scale, 0.0, 1.0)

    def icdf(self, x: Any) -> Variable:
        return self.loc + x * self.scale

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        low = self.low
        return self.icdf(_util.uniform01(low.xp, (n,) + low.shape, low.dtype))


@distribution.register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Variable:
    xp = p.low.xp
    outside = (p.high.array > q.high.array) | (p.low.array < q.low.array)
    kl = F.log(q.scale) - F.log(p.scale)
    return F.where(xp.broadcast_to(outside, kl.shape),
                   xp.full(kl.shape, xp.inf, kl.dtype), kl)
