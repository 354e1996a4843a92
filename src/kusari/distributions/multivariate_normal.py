"""The multivariate normal distribution, parametrised by a Cholesky factor."""

from __future__ import annotations

import math
from typing import Any

from kusari import distribution
from kusari import functions as F
from kusari.distributions import _util
from kusari.variable import Variable

_ENTROPY_C = 0.5 * math.log(2.0 * math.pi * math.e)
_LOG_PROB_C = -0.5 * math.log(2.0 * math.pi)


class MultivariateNormal(distribution.Distribution):
    """Multivariate normal distribution, :math:`p(x) = \\det(2\\pi V)^{-1/2}
    \\exp(-(x-\\mu)^T V^{-1} (x-\\mu) / 2)` with :math:`V = LL^T`.

    The last axis of ``loc`` is the event axis; the axes before it are the batch.
    Only the lower triangle of ``scale_tril`` is read (the entries above the diagonal
    are taken as 0 and get no gradient), and the diagonal must be non-zero.

    Args:
        loc: The mean :math:`\\mu`, of shape ``batch_shape + (d,)``.
        scale_tril: The lower-triangular factor :math:`L` of the covariance, of shape
            ``batch_shape + (d, d)`` (keyword only, as in Chainer).

    Raises:
        ValueError: ``scale_tril`` is not given, ``loc`` has no event axis, or the
            shapes do not match.
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> d = MultivariateNormal(numpy.zeros(2), scale_tril=numpy.eye(2) * 2.0)
        >>> round(float(d.log_prob(numpy.array([2.0, 0.0])).array), 6)
        -3.724171
        >>> d.covariance.array.tolist()
        [[4.0, 0.0], [0.0, 4.0]]
    """

    def __init__(self, loc: Any, *, scale_tril: Any = None) -> None:
        if scale_tril is None:
            raise ValueError("MultivariateNormal: `scale_tril` must have a value")
        self._loc = _util.param(loc, "loc", "MultivariateNormal")
        self._scale_tril = _util.param(scale_tril, "scale_tril", "MultivariateNormal")
        if self._loc.ndim < 1:
            raise ValueError("MultivariateNormal: `loc` needs an event axis (ndim >= 1)")
        want = self._loc.shape + self._loc.shape[-1:]
        if self._scale_tril.shape != want:
            raise ValueError(f"MultivariateNormal: `scale_tril` must have the shape {want} "
                             f"(loc.shape + (d,)), got {self._scale_tril.shape}")

    @property
    def loc(self) -> Variable:
        return self._loc

    @property
    def scale_tril(self) -> Variable:
        return self._scale_tril

    @property
    def d(self) -> int:
        """The size :math:`d` of an event."""
        return self._loc.shape[-1]

    @property
    def _tril(self) -> Variable:
        """``scale_tril`` with the entries above the diagonal set to 0."""
        L = self._scale_tril
        xp = L.xp
        mask = xp.tril(xp.ones((self.d, self.d), dtype=bool))
        return F.where(xp.broadcast_to(mask, L.shape), L, xp.zeros(L.shape, L.dtype))

    @property
    def _tril_inv(self) -> Variable:
        """The inverse of the lower-triangular factor, of shape ``batch_shape + (d, d)``."""
        d = self.d
        inv = F.batch_inv(F.reshape(self._tril, (-1, d, d)))
        return F.reshape(inv, self.batch_shape + (d, d))

    @property
    def _logdet_scale(self) -> Variable:
        """:math:`\\log|\\det L|`."""
        diag = F.diagonal(self._scale_tril, axis1=-2, axis2=-1)
        return F.sum(F.log(F.absolute(diag)), axis=-1)

    @property
    def batch_shape(self) -> tuple:
        return self.loc.shape[:-1]

    @property
    def event_shape(self) -> tuple:
        return self.loc.shape[-1:]

    @property
    def params(self) -> dict:
        return {"loc": self.loc, "scale_tril": self.scale_tril}

    @property
    def mean(self) -> Variable:
        return self.loc

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def covariance(self) -> Variable:
        L = self._tril
        return F.matmul(L, L, transb=True)

    @property
    def variance(self) -> Variable:
        """The diagonal of :attr:`covariance`."""
        return F.sum(self._tril ** 2, axis=-1)

    @property
    def entropy(self) -> Variable:
        return self._logdet_scale + _ENTROPY_C * self.d

    @property
    def support(self) -> str:
        return "real"

    def log_prob(self, x: Any) -> Variable:
        diff = x - self.loc
        z = F.matmul(self._tril_inv, F.expand_dims(diff, -1))
        maha = F.sum(z ** 2, axis=(-2, -1))
        logz = _LOG_PROB_C * self.d - self._logdet_scale
        return F.broadcast_to(logz, maha.shape) - 0.5 * maha

    def sample_n(self, n: int) -> Variable:
        n = _util.check_n(n)
        loc = self.loc
        eps = _util.standard_normal(loc.xp, (n,) + loc.shape + (1,), loc.dtype)
        return loc + F.squeeze(F.matmul(self._tril, eps), axis=-1)


@distribution.register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p: MultivariateNormal,
                                              q: MultivariateNormal) -> Variable:
    if p.event_shape != q.event_shape:
        raise ValueError(f"MultivariateNormal: event shapes differ ({p.event_shape} and "
                         f"{q.event_shape})")
    q_inv = q._tril_inv
    trace = F.sum(F.matmul(q_inv, p._tril) ** 2, axis=(-2, -1))
    z = F.matmul(q_inv, F.expand_dims(p.loc - q.loc, -1))
    maha = F.sum(z ** 2, axis=(-2, -1))
    return (q._logdet_scale - p._logdet_scale + 0.5 * trace + 0.5 * maha - 0.5 * p.d)
