"""Swish layer."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import initializers, variable
from kusari.link import Link


class Swish(Link):
    """``y = x * sigmoid(beta * x)`` with a learnt ``beta``.

    Args:
        beta_shape: Shape of ``beta``, or None to take ``x.shape[1:]`` at the first call.
        beta_init: Initial value (or initializer) of ``beta``.

    Example:
        >>> import numpy
        >>> Swish(None)(numpy.zeros((2, 3), numpy.float32)).shape
        (2, 3)
    """

    def __init__(self, beta_shape: Any, beta_init: Any = 1.0) -> None:
        super().__init__()
        with self.init_scope():
            if beta_shape is not None:
                self.beta = variable.Parameter(beta_init, beta_shape)
            else:
                self.beta = variable.Parameter(initializers.Constant(beta_init))

    def forward(self, x: Any) -> variable.Variable:
        """Apply Swish to ``x``."""
        if self.beta._data is None:
            self.beta.initialize(x.shape[1:])
        return F.swish(x, self.beta)
