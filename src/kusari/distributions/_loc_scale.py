"""The base of the univariate location-scale distributions (Normal, Laplace, Gumbel,
Cauchy): their parameters, shapes and ``params``."""

from __future__ import annotations

from typing import Any

from kusari import distribution
from kusari.distributions import _util
from kusari.variable import Variable


class LocScale(distribution.Distribution):
    """A univariate distribution with a location ``loc`` and a scale ``scale``.

    Args:
        loc: The location (array or Variable of floats).
        scale: The scale, of the same shape.

    Raises:
        TypeError: A parameter is not a floating-point array or Variable.

    Example:
        >>> import numpy
        >>> from kusari.distributions import Laplace
        >>> Laplace(numpy.zeros(3), numpy.ones(3)).batch_shape
        (3,)
    """

    def __init__(self, loc: Any, scale: Any) -> None:
        name = type(self).__name__
        self._loc = _util.param(loc, "loc", name)
        self._scale = _util.param(scale, "scale", name)

    @property
    def loc(self) -> Variable:
        return self._loc

    @property
    def scale(self) -> Variable:
        return self._scale

    @property
    def batch_shape(self) -> tuple:
        return self.loc.shape

    @property
    def event_shape(self) -> tuple:
        return ()

    @property
    def params(self) -> dict:
        return {"loc": self.loc, "scale": self.scale}
