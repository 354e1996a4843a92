"""Initializers drawing from a uniform distribution (NumPy's global RNG, as Chainer)."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer, _fill, _parse_rng, get_fans


class Uniform(Initializer):
    """Draw from :math:`U(-\\text{scale}, \\text{scale})`.

    Args:
        scale: Bound of the interval.
        dtype: Optional dtype.
        rng: Optional ``RandomState``-like generator (default: ``numpy.random``).

    Example:
        >>> import numpy
        >>> a = numpy.empty(3, numpy.float32); Uniform(0.5)(a); bool(abs(a).max() <= 0.5)
        True
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None, **kwargs: Any) -> None:
        self.scale = scale
        self.rng = _parse_rng(kwargs, type(self).__name__)
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        rng = numpy.random if self.rng is None else self.rng
        _fill(array, rng.uniform(low=-self.scale, high=self.scale, size=array.shape))


class LeCunUniform(Initializer):
    """Uniform with bound ``scale * sqrt(3 / fan_in)``."""

    _numerator = 3.0

    def __init__(self, scale: float = 1.0, dtype: Any = None, **kwargs: Any) -> None:
        self.scale = scale
        self.rng = _parse_rng(kwargs, type(self).__name__)
        super().__init__(dtype)

    def _fan(self, shape: tuple) -> Any:
        return get_fans(shape)[0]

    def __call__(self, array: Any) -> None:
        self._check(array)
        s = self.scale * numpy.sqrt(self._numerator / self._fan(array.shape))
        Uniform(s, rng=self.rng)(array)


class HeUniform(LeCunUniform):
    """Uniform with bound ``scale * sqrt(6 / fan_in)``."""

    _numerator = 6.0


class GlorotUniform(LeCunUniform):
    """Uniform with bound ``scale * sqrt(6 / (fan_in + fan_out))``."""

    _numerator = 6.0

    def _fan(self, shape: tuple) -> Any:
        fan_in, fan_out = get_fans(shape)
        return fan_in + fan_out
