"""Initializers drawing from a normal distribution."""

from __future__ import annotations

import math
from typing import Any

import numpy

from kusari.initializers._base import Initializer, get_fans


class Normal(Initializer):
    """Draw from :math:`N(0, \\text{scale}^2)` with ``numpy.random``.

    Args:
        scale: Standard deviation.
        dtype: Optional dtype.

    Example:
        >>> import numpy
        >>> a = numpy.empty((2, 2), numpy.float32); Normal(0.1)(a); a.shape
        (2, 2)
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        values = numpy.random.normal(loc=0.0, scale=self.scale, size=array.shape)
        if isinstance(array, numpy.ndarray):
            array[...] = values
        else:
            array[...] = __import__("cupy").asarray(values, dtype=array.dtype)


class _FanNormal(Initializer):
    _factor = 1.0
    _mode = "in"

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        fan_in, fan_out = get_fans(array.shape)
        fan = {"in": fan_in, "avg": (fan_in + fan_out) / 2.0}[self._mode]
        s = self.scale * math.sqrt(self._factor / fan)
        Normal(s)(array)


class LeCunNormal(_FanNormal):
    """Normal with standard deviation ``scale * sqrt(1 / fan_in)``."""

    _factor = 1.0


class HeNormal(_FanNormal):
    """Normal with standard deviation ``scale * sqrt(2 / fan_in)``.

    Args:
        scale: Multiplier.
        dtype: Optional dtype.
        fan_option: ``'fan_in'`` or ``'fan_out'``.
    """

    _factor = 2.0

    def __init__(self, scale: float = 1.0, dtype: Any = None, fan_option: str = "fan_in"):
        if fan_option not in ("fan_in", "fan_out"):
            raise ValueError(f"HeNormal: fan_option must be 'fan_in' or 'fan_out', got "
                             f"{fan_option!r}")
        self.fan_option = fan_option
        super().__init__(scale, dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        fan_in, fan_out = get_fans(array.shape)
        fan = fan_in if self.fan_option == "fan_in" else fan_out
        Normal(self.scale * math.sqrt(2.0 / fan))(array)


class GlorotNormal(_FanNormal):
    """Normal with standard deviation ``scale * sqrt(2 / (fan_in + fan_out))``."""

    _factor = 1.0
    _mode = "avg"
