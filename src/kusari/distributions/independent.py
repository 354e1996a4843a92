"""Reinterpret batch axes of a distribution as event axes."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.variable import Variable


class Independent(distribution.Distribution):
    """The joint distribution of the rightmost batch axes of ``distribution``, taken as
    independent: those axes become event axes and probabilities multiply over them.

    Args:
        distribution: The base :class:`~kusari.Distribution`.
        reinterpreted_batch_ndims: How many rightmost batch axes become event axes; by
            default all but the first.

    Raises:
        TypeError: ``distribution`` is not a Distribution.
        ValueError: ``reinterpreted_batch_ndims`` is negative or more than the number of
            batch axes.

    Example:
        >>> import numpy
        >>> from kusari.distributions import Normal
        >>> d = Independent(Normal(numpy.zeros((2, 3)), numpy.ones((2, 3))))
        >>> d.batch_shape, d.event_shape
        ((2,), (3,))
        >>> d.log_prob(numpy.zeros((2, 3))).array.round(4).tolist()
        [-2.7568, -2.7568]
    """

    def __init__(self, distribution: distribution.Distribution,
                 reinterpreted_batch_ndims: int | None = None) -> None:
        from kusari.distribution import Distribution

        if not isinstance(distribution, Distribution):
            raise TypeError("Independent: `distribution` must be a Distribution, got "
                            f"{type(distribution).__name__}")
        ndim = len(distribution.batch_shape)
        if reinterpreted_batch_ndims is None:
            reinterpreted_batch_ndims = max(0, ndim - 1)
        reinterpreted_batch_ndims = int(reinterpreted_batch_ndims)
        if not 0 <= reinterpreted_batch_ndims <= ndim:
            raise ValueError("reinterpreted_batch_ndims must be between 0 and the number "
                             f"of batch dimensions ({ndim}), got {reinterpreted_batch_ndims}")
        self._distribution = distribution
        self._n = reinterpreted_batch_ndims
        keep = ndim - reinterpreted_batch_ndims
        self._batch_shape = tuple(distribution.batch_shape[:keep])
        self._event_shape = (tuple(distribution.batch_shape[keep:])
                             + tuple(distribution.event_shape))

    @property
    def distribution(self) -> distribution.Distribution:
        return self._distribution

    @property
    def reinterpreted_batch_ndims(self) -> int:
        return self._n

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def event_shape(self) -> tuple:
        return self._event_shape

    @property
    def params(self) -> dict:
        return self.distribution.params

    @property
    def xp(self) -> Any:
        return self.distribution.xp

    @property
    def mean(self) -> Variable:
        return self.distribution.mean

    @property
    def mode(self) -> Variable:
        return self.distribution.mode

    @property
    def variance(self) -> Variable:
        return self.distribution.variance

    @property
    def stddev(self) -> Variable:
        return self.distribution.stddev

    @property
    def support(self) -> str:
        return self.distribution.support

    @property
    def covariance(self) -> Variable:
        """The block-diagonal covariance of the flattened event (needs the base
        distribution's covariance)."""
        base = self.distribution
        cov = base.covariance
        m = _util_size(base.batch_shape[len(self.batch_shape):])
        dim = _util_size(base.event_shape)
        b = self.batch_shape
        cov = F.reshape(cov, b + (m, dim, 1, dim))
        eye = self.xp.eye(m, dtype=cov.dtype).reshape(m, 1, m, 1)
        return F.reshape(cov * eye, b + (m * dim, m * dim))

    def _reduce(self, op: Any, value: Variable) -> Variable:
        if self._n == 0:
            return value
        return op(value, axis=tuple(range(-self._n, 0)))

    @property
    def entropy(self) -> Variable:
        return self._reduce(F.sum, self.distribution.entropy)

    def log_prob(self, x: Any) -> Variable:
        return self._reduce(F.sum, self.distribution.log_prob(x))

    def prob(self, x: Any) -> Variable:
        return self._reduce(F.prod, self.distribution.prob(x))

    def cdf(self, x: Any) -> Variable:
        return self._reduce(F.prod, self.distribution.cdf(x))

    def log_cdf(self, x: Any) -> Variable:
        return self._reduce(F.sum, self.distribution.log_cdf(x))

    def survival_function(self, x: Any) -> Variable:
        return self._reduce(F.prod, self.distribution.survival_function(x))

    def log_survival_function(self, x: Any) -> Variable:
        return self._reduce(F.sum, self.distribution.log_survival_function(x))

    def icdf(self, x: Any) -> Variable:
        """Not defined for a multivariate variable.

        Raises:
            RuntimeError: Always.
        """
        raise RuntimeError("Cumulative distribution function for multivariate variable "
                           "is not invertible.")

    def sample_n(self, n: int) -> Variable:
        return self.distribution.sample_n(n)


def _util_size(shape: tuple) -> int:
    size = 1
    for s in shape:
        size *= int(s)
    return size


@distribution.register_kl(Independent, Independent)
def _kl_independent_independent(p: Independent, q: Independent) -> Variable:
    if p.event_shape != q.event_shape:
        raise ValueError("Event shapes do not match.")
    if p.distribution.event_shape != q.distribution.event_shape:
        raise NotImplementedError("KL between Independents with different event shapes "
                                  "not supported.")
    n = len(p.event_shape) - len(p.distribution.event_shape)
    kl = distribution.kl_divergence(p.distribution, q.distribution)
    return F.sum(kl, axis=tuple(range(-n, 0))) if n else kl
