"""The Pareto (type I) distribution."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _draws, _util
from kusari.variable import Variable, as_variable


def _where_or(cond: Any, value: Variable, fill: float) -> Variable:
    """``value`` where ``cond`` holds, else the constant ``fill``."""
    xp = value.xp
    return F.where(xp.broadcast_to(cond, value.shape), value,
                   xp.full(value.shape, fill, value.dtype))


class Pareto(distribution.Distribution):
    """Pareto distribution, :math:`p(x) = \\alpha x_m^\\alpha / x^{\\alpha + 1}` for
    :math:`x \\ge x_m`.

    Args:
        scale: The minimum :math:`x_m > 0`.
        alpha: The shape :math:`\\alpha > 0`.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Pareto(numpy.array([1.0]), numpy.array([2.0]))
        >>> d.log_prob(numpy.array([[2.0], [0.5]])).array.round(6).tolist()
        [[-1.386294], [-inf]]
        >>> d.mean.array.tolist(), d.variance.array.tolist()
        ([2.0], [inf])
    """

    def __init__(self, scale: Any, alpha: Any) -> None:
        self._scale = _util.param(scale, "scale", "Pareto")
        self._alpha = _util.param(alpha, "alpha", "Pareto")

    @property
    def scale(self) -> Variable:
        return self._scale

    @property
    def alpha(self) -> Variable:
        return self._alpha

    @property
    def batch_shape(self) -> tuple:
        return self.scale.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"scale": self.scale, "alpha": self.alpha}

    @property
    def mean(self) -> Variable:
        """:math:`\\alpha x_m / (\\alpha - 1)`, or ``inf`` where :math:`\\alpha \\le 1`."""
        a = self.alpha
        ok = a.array > 1
        den = F.where(ok, a - 1.0, a.xp.ones_like(a.array))
        return _where_or(ok, a * self.scale / den, numpy.inf)

    @property
    def variance(self) -> Variable:
        """:math:`x_m^2 \\alpha / ((\\alpha - 1)^2 (\\alpha - 2))`, or ``inf`` where
        :math:`\\alpha \\le 2`."""
        a = self.alpha
        ok = a.array > 2
        safe = F.where(ok, a, a.xp.full_like(a.array, 3.0))
        return _where_or(ok, self.scale ** 2 * a / (safe - 1.0) ** 2 / (safe - 2.0),
                         numpy.inf)

    @property
    def mode(self) -> Variable:
        return self.scale

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale) - F.log(self.alpha) + 1.0 / self.alpha + 1.0

    @property
    def support(self) -> str:
        return "[scale, inf]"

    def _inside(self, x: Variable) -> tuple:
        """(mask of ``x >= scale``, ``x`` with 1 elsewhere), both of the broadcast shape."""
        xp = x.xp
        shape = numpy.broadcast_shapes(x.shape, self.scale.shape)
        ok = xp.broadcast_to(x.array >= self.scale.array, shape)
        xs = F.where(ok, F.broadcast_to(x, shape), xp.ones(shape, x.dtype))
        return ok, xs

    def log_prob(self, x: Any) -> Variable:
        """The log density at ``x`` (``-inf`` where ``x < scale``)."""
        ok, xs = self._inside(as_variable(x))
        a = self.alpha
        logp = F.log(a) + a * F.log(self.scale) - (a + 1.0) * F.log(xs)
        return _where_or(ok, logp, -numpy.inf)

    def cdf(self, x: Any) -> Variable:
        """:math:`1 - (x_m / x)^\\alpha` for :math:`x \\ge x_m`, else 0."""
        ok, xs = self._inside(as_variable(x))
        return _where_or(ok, -F.expm1(self.alpha * (F.log(self.scale) - F.log(xs))), 0.0)

    def icdf(self, x: Any) -> Variable:
        return self.scale * F.exp(-F.log1p(-x) / self.alpha)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        a = self.alpha
        eps = _draws.draw(a.xp, "pareto", a.array, size=(n,) + self.batch_shape,
                          dtype=a.dtype)
        return self.scale * (eps + 1.0)


@distribution.register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p: Pareto, q: Pareto) -> Variable:
    kl = (q.alpha * (F.log(p.scale) - F.log(q.scale)) + F.log(p.alpha) - F.log(q.alpha)
          + (q.alpha - p.alpha) / p.alpha)
    # p puts mass below q's minimum, where q has none
    return _where_or(p.scale.array >= q.scale.array, kl, numpy.inf)
