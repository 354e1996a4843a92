"""Parametric ReLU layer."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.link import Link


class PReLU(Link):
    """``y = max(x, W x)`` with a learnt slope ``W`` (He et al., 2015).

    Args:
        shape: Shape of ``W``, broadcast along the axes of ``x`` from axis 1.
        init: Initial value (or initializer) of ``W``.

    Example:
        >>> import numpy
        >>> PReLU()(numpy.array([[-4.0, 2.0]], numpy.float32)).array.tolist()
        [[-1.0, 2.0]]
    """

    def __init__(self, shape: Any = (), init: Any = 0.25) -> None:
        super().__init__()
        with self.init_scope():
            self.W = variable.Parameter(init, shape)

    def forward(self, x: Any) -> variable.Variable:
        """Apply PReLU to ``x``."""
        return F.prelu(x, self.W)
