"""The categorical distribution with one-hot encoded events."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable


class OneHotCategorical(distribution.Distribution):
    """Categorical distribution whose events are one-hot vectors of length ``K``.

    Args:
        p: The probabilities over the last axis (which sums to 1).

    Raises:
        ValueError: ``p`` is 0-d.
        TypeError: ``p`` is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = OneHotCategorical(numpy.array([0.25, 0.75]))
        >>> d.event_shape
        (2,)
        >>> d.log_prob(numpy.array([0.0, 1.0])).array.round(4).tolist()
        -0.2877
    """

    def __init__(self, p: Any) -> None:
        self._p = _util.param(p, "p", "OneHotCategorical")
        if self._p.ndim == 0:
            raise ValueError("OneHotCategorical: `p` needs a category axis (ndim >= 1)")

    @property
    def p(self) -> Variable:
        return self._p

    @property
    def log_p(self) -> Variable:
        return _util.safe_log(self._p)

    @property
    def batch_shape(self) -> tuple:
        return self.p.shape[:-1]

    @property
    def event_shape(self) -> tuple:
        return self.p.shape[-1:]

    @property
    def params(self) -> dict:
        return {"p": self.p}

    @property
    def mean(self) -> Variable:
        return self.p

    @property
    def variance(self) -> Variable:
        return self.p * (1.0 - self.p)

    @property
    def entropy(self) -> Variable:
        return -F.sum(_util.xlogx(self.p), axis=-1)

    @property
    def support(self) -> str:
        return "one-hot vectors"

    def log_prob(self, x: Any) -> Variable:
        return _util.masked_dot(x, self.log_p)

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        p = self.p
        xp = p.xp
        idx = _util.categorical_samples(xp, p.array, n)
        return Variable(xp.eye(p.shape[-1], dtype=p.dtype)[idx])


@distribution.register_kl(OneHotCategorical, OneHotCategorical)
def _kl_one_hot_categorical(p: OneHotCategorical, q: OneHotCategorical) -> Variable:
    return F.sum(_util.xlogx(p.p), axis=-1) - _util.masked_dot(p.p, q.log_p)
