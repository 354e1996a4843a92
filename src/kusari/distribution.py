"""The :class:`Distribution` interface and the KL-divergence registry (Chainer 7's API).

A distribution holds parameters as :class:`~kusari.Variable` objects; every statistic
and probability function it returns is a Variable built from differentiable functions,
so it can be back-propagated to the parameters.

Example:
    >>> import numpy
    >>> import kusari
    >>> from kusari import distributions as D
    >>> p = D.Normal(numpy.zeros(2, numpy.float32), numpy.ones(2, numpy.float32))
    >>> kusari.kl_divergence(p, p).array.tolist()
    [0.0, 0.0]
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from kusari import backend
from kusari.variable import Variable

__all__ = ["Distribution", "register_kl", "kl_divergence", "cross_entropy"]


class Distribution:
    """Base class of probability distributions.

    A sample has the shape ``sample_shape + batch_shape + event_shape``: the events of
    one batch are independent (but not identically distributed), and the values inside an
    event are jointly distributed. Probability functions take such a sample and return
    values of the shape ``sample_shape + batch_shape``.

    Subclasses override the members they support; the others raise
    :class:`NotImplementedError`. :meth:`prob`, :attr:`stddev`, :meth:`log_cdf`,
    :meth:`survival_function` and :meth:`log_survival_function` fall back to
    :meth:`log_prob`, :attr:`variance` and :meth:`cdf` when not overridden.

    Example:
        >>> import numpy
        >>> from kusari import distributions as D
        >>> d = D.Normal(numpy.zeros((4, 3), numpy.float32), numpy.ones((4, 3), numpy.float32))
        >>> d.batch_shape, d.event_shape
        ((4, 3), ())
        >>> d.sample((6, 5)).shape
        (6, 5, 4, 3)
    """

    def _copy_to(self, target: Distribution) -> Distribution:
        target.__dict__ = copy.copy(self.__dict__)
        return target

    def _unsupported(self, what: str) -> NotImplementedError:
        return NotImplementedError(f"{type(self).__name__} does not provide {what}")

    @property
    def batch_shape(self) -> tuple:
        """The shape of the independent, not identically distributed part of a sample."""
        raise self._unsupported("batch_shape")

    @property
    def event_shape(self) -> tuple:
        """The shape of one event (``()`` for univariate distributions)."""
        raise self._unsupported("event_shape")

    @property
    def params(self) -> dict:
        """The parameters as a dict of Variables."""
        raise self._unsupported("params")

    @property
    def xp(self) -> Any:
        """The array module (``numpy`` or ``cupy``) of the parameters."""
        return backend.get_array_module(*self.params.values())

    @property
    def mean(self) -> Variable:
        """The mean."""
        raise self._unsupported("mean")

    @property
    def mode(self) -> Variable:
        """The mode."""
        raise self._unsupported("mode")

    @property
    def variance(self) -> Variable:
        """The variance."""
        raise self._unsupported("variance")

    @property
    def stddev(self) -> Variable:
        """The standard deviation (``sqrt(variance)`` unless overridden)."""
        from kusari.functions.math.sqrt import sqrt

        return sqrt(self.variance)

    @property
    def covariance(self) -> Variable:
        """The covariance matrix of an event."""
        raise self._unsupported("covariance")

    @property
    def entropy(self) -> Variable:
        """The (differential) entropy."""
        raise self._unsupported("entropy")

    @property
    def support(self) -> str:
        """A string naming the support, e.g. ``'real'`` or ``'positive'``."""
        raise self._unsupported("support")

    def log_prob(self, x: Any) -> Variable:
        """The log probability (density or mass) at ``x``.

        Args:
            x: Points of shape ``sample_shape + batch_shape + event_shape``.

        Returns:
            A Variable of shape ``sample_shape + batch_shape``.
        """
        raise self._unsupported("log_prob")

    def prob(self, x: Any) -> Variable:
        """The probability (density or mass) at ``x`` (``exp(log_prob(x))`` by default)."""
        from kusari.functions.math.exponential import exp

        return exp(self.log_prob(x))

    def cdf(self, x: Any) -> Variable:
        """The cumulative distribution function at ``x``."""
        raise self._unsupported("cdf")

    def log_cdf(self, x: Any) -> Variable:
        """The log of the cumulative distribution function at ``x``."""
        from kusari.functions.math.exponential import log

        return log(self.cdf(x))

    def icdf(self, x: Any) -> Variable:
        """The inverse cumulative distribution function (quantile) at ``x``."""
        raise self._unsupported("icdf")

    def survival_function(self, x: Any) -> Variable:
        """``1 - cdf(x)``."""
        return 1.0 - self.cdf(x)

    def log_survival_function(self, x: Any) -> Variable:
        """The log of the survival function at ``x``."""
        from kusari.functions.math.exponential import log

        return log(self.survival_function(x))

    def perplexity(self, x: Any) -> Variable:
        """The perplexity at ``x``."""
        raise self._unsupported("perplexity")

    def sample(self, sample_shape: int | tuple = ()) -> Variable:
        """Draw samples of shape ``sample_shape + batch_shape + event_shape``.

        Subclasses implement :meth:`sample_n`; this method reshapes its result.

        Args:
            sample_shape: An int or a tuple of ints.

        Returns:
            A Variable of sampled points.

        Raises:
            ValueError: ``sample_shape`` has a negative entry.

        Example:
            >>> import numpy
            >>> from kusari import distributions as D
            >>> D.Uniform(low=numpy.zeros(3), high=numpy.ones(3)).sample(2).shape
            (2, 3)
        """
        tail = tuple(self.batch_shape) + tuple(self.event_shape)
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        sample_shape = tuple(int(s) for s in sample_shape)
        if any(s < 0 for s in sample_shape):
            raise ValueError(f"sample_shape must not be negative, got {sample_shape}")
        n = 1
        for s in sample_shape:
            n *= s
        return self.sample_n(n).reshape(sample_shape + tail)

    def sample_n(self, n: int) -> Variable:
        """Draw ``n`` samples: a Variable of shape ``(n,) + batch_shape + event_shape``.

        Args:
            n: The number of samples.
        """
        raise self._unsupported("sample_n")


_KLDIVERGENCE: dict[tuple[type, type], Callable] = {}


class KLNotRegisteredError(NotImplementedError, KeyError):
    """No KL divergence is registered for a pair of distribution types.

    It is a :class:`KeyError` too, which is what Chainer raises in this case.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def register_kl(dist1: type, dist2: type) -> Callable[[Callable], Callable]:
    """Decorator registering a function that computes ``KL(dist1 || dist2)``.

    The function receives an instance of ``dist1`` and one of ``dist2`` and returns the
    divergence; :func:`kl_divergence` dispatches on the argument types.

    Args:
        dist1: A :class:`Distribution` subclass (the left operand).
        dist2: A :class:`Distribution` subclass (the right operand).

    Returns:
        The decorator; it returns the function unchanged.

    Raises:
        TypeError: ``dist1`` or ``dist2`` is not a class.

    Example:
        >>> class Point(Distribution):
        ...     pass
        >>> @register_kl(Point, Point)
        ... def _kl_point_point(p, q):
        ...     return 0.0
        >>> kl_divergence(Point(), Point())
        0.0
    """
    if not (isinstance(dist1, type) and isinstance(dist2, type)):
        raise TypeError("register_kl expects two distribution classes")

    def decorator(fn: Callable) -> Callable:
        _KLDIVERGENCE[dist1, dist2] = fn
        return fn

    return decorator


def _lookup_kl(t1: type, t2: type) -> Callable:
    fn = _KLDIVERGENCE.get((t1, t2))
    if fn is not None:
        return fn
    # fall back to the closest registered pair of base classes
    for b1 in t1.__mro__:
        for b2 in t2.__mro__:
            fn = _KLDIVERGENCE.get((b1, b2))
            if fn is not None:
                return fn
    raise KLNotRegisteredError(
        f"no KL divergence is registered for ({t1.__name__}, {t2.__name__}); "
        "register one with kusari.register_kl")


def kl_divergence(dist1: Distribution, dist2: Distribution) -> Variable:
    """The Kullback-Leibler divergence ``KL(dist1 || dist2)``.

    Args:
        dist1: The distribution :math:`p` (the left operand).
        dist2: The distribution :math:`q` (the right operand).

    Returns:
        A Variable of shape ``batch_shape``.

    Raises:
        KLNotRegisteredError: No function is registered for the two types (this is both
            a :class:`NotImplementedError` and a :class:`KeyError`).

    Example:
        >>> import numpy
        >>> from kusari import distributions as D
        >>> p = D.Bernoulli(p=numpy.array([0.5]))
        >>> q = D.Bernoulli(p=numpy.array([0.25]))
        >>> round(float(kl_divergence(p, q).array[0]), 6)
        0.143841
    """
    return _lookup_kl(type(dist1), type(dist2))(dist1, dist2)


def cross_entropy(dist1: Distribution, dist2: Distribution) -> Variable:
    """The cross entropy ``H(dist1, dist2) = H(dist1) + KL(dist1 || dist2)``.

    Args:
        dist1: The distribution :math:`p`; it must provide :attr:`Distribution.entropy`.
        dist2: The distribution :math:`q`.

    Returns:
        A Variable of shape ``batch_shape``.

    Raises:
        KLNotRegisteredError: No KL divergence is registered for the two types.

    Example:
        >>> import numpy
        >>> from kusari import distributions as D
        >>> p = D.Bernoulli(p=numpy.array([0.5]))
        >>> round(float(cross_entropy(p, p).array[0]), 6)  # log 2
        0.693147
    """
    return dist1.entropy + kl_divergence(dist1, dist2)
