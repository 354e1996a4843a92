"""The categorical distribution over ``{0, ..., K-1}``."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable


class Categorical(distribution.Distribution):
    """Categorical distribution, :math:`P(x = i) = p_i`, over the last axis of ``p``.

    Args:
        p: The probabilities (the last axis sums to 1). Either ``p`` or ``logit`` (not
            both) must be given.
        logit: Unnormalised log probabilities :math:`\\log p_i + C`.

    Raises:
        ValueError: Both or neither of ``p`` and ``logit`` are given, or ``p`` is 0-d.
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = Categorical(logit=numpy.log(numpy.array([[0.2, 0.3, 0.5]])))
        >>> d.batch_shape, d.event_shape
        ((1,), ())
        >>> d.log_prob(numpy.array([2])).array.round(4).tolist()
        [-0.6931]
    """

    def __init__(self, p: Any = None, *, logit: Any = None) -> None:
        _util.exclusive("Categorical", p=p, logit=logit)
        self._p = None if p is None else _util.param(p, "p", "Categorical")
        self._logit = None if logit is None else _util.param(logit, "logit", "Categorical")
        if (self._p if self._p is not None else self._logit).ndim == 0:
            raise ValueError("Categorical: the parameter needs a category axis (ndim >= 1)")

    @property
    def p(self) -> Variable:
        return self._p if self._p is not None else F.exp(self.log_p)

    @property
    def log_p(self) -> Variable:
        if self._p is not None:
            return _util.safe_log(self._p)
        return F.log_softmax(self._logit, axis=-1)

    @property
    def batch_shape(self) -> tuple:
        src = self._p if self._p is not None else self._logit
        return src.shape[:-1]

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"p": self.p}

    @property
    def entropy(self) -> Variable:
        return -F.sum(_util.xlogx(self.p), axis=-1)

    @property
    def support(self) -> str:
        return "{0, ..., K-1}"

    def log_prob(self, x: Any) -> Variable:
        log_p = self.log_p
        xp = log_p.xp
        idx = xp.asarray(_util.data(x)).astype(xp.int64)
        grid = xp.meshgrid(*(xp.arange(s) for s in self.batch_shape), indexing="ij")
        return F.get_item(log_p, tuple(grid) + (idx,))

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        p = self.p
        return Variable(_util.categorical_samples(p.xp, p.array, n))


@distribution.register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Variable:
    return F.sum(_util.xlogx(p.p), axis=-1) - _util.masked_dot(p.p, q.log_p)
