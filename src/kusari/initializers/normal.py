"""Initializers drawing from a normal distribution.

They draw from NumPy's global ``numpy.random`` (or the ``rng`` given) in the same
order and with the same arguments as Chainer, so after ``numpy.random.seed(s)`` a
model starts with the same weights as the same Chainer model.
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer, _fill, _parse_rng, get_fans


class Normal(Initializer):
    """Draw from :math:`N(0, \\text{scale}^2)`.

    Args:
        scale: Standard deviation.
        dtype: Optional dtype.
        rng: Optional ``RandomState``-like generator (default: ``numpy.random``).

    Example:
        >>> import numpy
        >>> a = numpy.empty((2, 2), numpy.float32); Normal(0.1)(a); a.shape
        (2, 2)
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None, **kwargs: Any) -> None:
        self.scale = scale
        self.rng = _parse_rng(kwargs, type(self).__name__)
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        rng = numpy.random if self.rng is None else self.rng
        _fill(array, rng.normal(loc=0.0, scale=self.scale, size=array.shape))


class LeCunNormal(Initializer):
    """Normal with standard deviation ``scale * sqrt(1 / fan_in)`` (LeCun 1998).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: Optional dtype.
        rng: Optional random generator.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None, **kwargs: Any) -> None:
        self.scale = scale
        self.rng = _parse_rng(kwargs, type(self).__name__)
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        fan_in, _ = get_fans(array.shape)
        Normal(self.scale * numpy.sqrt(1.0 / fan_in), rng=self.rng)(array)


class GlorotNormal(LeCunNormal):
    """Normal with standard deviation ``scale * sqrt(2 / (fan_in + fan_out))``."""

    def __call__(self, array: Any) -> None:
        self._check(array)
        fan_in, fan_out = get_fans(array.shape)
        Normal(self.scale * numpy.sqrt(2.0 / (fan_in + fan_out)), rng=self.rng)(array)


class HeNormal(Initializer):
    """Normal with standard deviation ``scale * sqrt(2 / fan)`` (He et al. 2015).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: Optional dtype.
        fan_option: ``'fan_in'`` or ``'fan_out'``: which fan is ``fan``.
        rng: Optional random generator.

    Raises:
        ValueError: (when called) ``fan_option`` is neither ``'fan_in'`` nor ``'fan_out'``.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None, fan_option: str = "fan_in",
                 **kwargs: Any) -> None:
        self.scale = scale
        self.fan_option = fan_option
        self.rng = _parse_rng(kwargs, "HeNormal")
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        fan_in, fan_out = get_fans(array.shape)
        if self.fan_option == "fan_in":
            fan = fan_in
        elif self.fan_option == "fan_out":
            fan = fan_out
        else:
            raise ValueError("fan_option should be either 'fan_in' or 'fan_out'.")
        Normal(self.scale * numpy.sqrt(2.0 / fan), rng=self.rng)(array)
