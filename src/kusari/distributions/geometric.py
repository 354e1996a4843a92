"""The geometric distribution (the number of trials up to the first success)."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _draws, _util
from kusari.variable import Variable


class Geometric(distribution.Distribution):
    """Geometric distribution, :math:`P(x = k) = p(1-p)^{k-1}` for :math:`k = 1, 2, \\ldots`.

    Args:
        p: The success probability :math:`p` in :math:`(0, 1]`.

    Raises:
        TypeError: ``p`` is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Geometric(numpy.array([0.25]))
        >>> d.prob(numpy.array([[1.0], [3.0], [0.0]])).array.round(6).tolist()
        [[0.25], [0.140625], [0.0]]
    """

    def __init__(self, p: Any) -> None:
        self._p = _util.param(p, "p", "Geometric")

    @property
    def p(self) -> Variable:
        return self._p

    @property
    def batch_shape(self) -> tuple:
        return self.p.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"p": self.p}

    @property
    def mean(self) -> Variable:
        return 1.0 / self.p

    @property
    def variance(self) -> Variable:
        return (1.0 - self.p) / self.p ** 2

    @property
    def support(self) -> str:
        return "positive integer"

    def log_prob(self, x: Any) -> Variable:
        """The log probability mass at ``x`` (``-inf`` where ``x < 1``).

        ``x`` is data, not differentiated; values between the integers get the
        continuous extension of the formula, as in Chainer.
        """
        p = self.p
        xp = p.xp
        xa = xp.asarray(_util.data(x)).astype(p.dtype)
        low = xa < 1
        xs = xp.where(low, xp.ones_like(xa), xa)
        y = _util.mul_log(Variable(xs - 1), 1.0 - p) + F.log(p)
        return F.where(xp.broadcast_to(low, y.shape), xp.full(y.shape, -xp.inf, y.dtype), y)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        p = self.p
        eps = _draws.draw(p.xp, "geometric", p.array, size=(n,) + p.shape, dtype=p.dtype,
                          float_dtype=False)
        return Variable(eps)


@distribution.register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p: Geometric, q: Geometric) -> Variable:
    c = 1.0 / p.p - 1.0
    return (_util.mul_log(c, 1.0 - p.p) - _util.mul_log(c, 1.0 - q.p)
            + F.log(p.p) - F.log(q.p))
