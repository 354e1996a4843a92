"""Initializers drawing from a uniform distribution."""

from __future__ import annotations

import math
from typing import Any

import numpy

from kusari.initializers._base import Initializer, get_fans


class Uniform(Initializer):
    """Draw from :math:`U(-\\text{scale}, \\text{scale})` with ``numpy.random``.

    Example:
        >>> import numpy
        >>> a = numpy.empty(3, numpy.float32); Uniform(0.5)(a); bool(abs(a).max() <= 0.5)
        True
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        values = numpy.random.uniform(-self.scale, self.scale, size=array.shape)
        if isinstance(array, numpy.ndarray):
            array[...] = values
        else:
            array[...] = __import__("cupy").asarray(values, dtype=array.dtype)


class _FanUniform(Initializer):
    _factor = 3.0
    _avg = False

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        fan_in, fan_out = get_fans(array.shape)
        fan = (fan_in + fan_out) / 2.0 if self._avg else fan_in
        Uniform(self.scale * math.sqrt(self._factor / fan))(array)


class LeCunUniform(_FanUniform):
    """Uniform with bound ``scale * sqrt(3 / fan_in)``."""

    _factor = 3.0


class HeUniform(_FanUniform):
    """Uniform with bound ``scale * sqrt(6 / fan_in)``."""

    _factor = 6.0


class GlorotUniform(_FanUniform):
    """Uniform with bound ``scale * sqrt(6 / (fan_in + fan_out))``."""

    _factor = 3.0
    _avg = True
