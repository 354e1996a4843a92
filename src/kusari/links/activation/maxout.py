"""Maxout layer."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend, variable
from kusari import functions as F
from kusari.initializers import Initializer
from kusari.link import Chain
from kusari.links.connection.linear import Linear


class Maxout(Chain):
    """A linear layer to ``out_size * pool_size`` units, then the max over each pool.

    The child ``linear`` holds ``W`` ``(out_size * pool_size, in_size)``; unit ``k`` of
    pool ``j`` is row ``j * pool_size + k``.

    Args:
        in_size: Input size.
        out_size: Output size.
        pool_size: Units per pool.
        initialW: Initializer; an array must have shape ``(out, pool, in)``, a callable
            is given that 3-D view.
        initial_bias: Initializer (0 by default; None means no bias); an array must have
            shape ``(out, pool)``.

    Raises:
        ValueError: An initial array of the wrong number of dimensions.

    Example:
        >>> import numpy
        >>> Maxout(3, 2, 4)(numpy.ones((5, 3), numpy.float32)).shape
        (5, 2)
    """

    def __init__(self, in_size: int, out_size: int, pool_size: int, initialW: Any = None,
                 initial_bias: Any = 0) -> None:
        super().__init__()
        n = out_size * pool_size
        initialW = _reshaped(initialW, 3, "initialW", (n, in_size), (out_size, pool_size,
                                                                     in_size))
        initial_bias = _reshaped(initial_bias, 2, "initial_bias", (n,), (out_size, pool_size))
        with self.init_scope():
            self.linear = Linear(in_size, n, nobias=initial_bias is None, initialW=initialW,
                                 initial_bias=initial_bias)
        self.out_size = out_size
        self.pool_size = pool_size

    def forward(self, x: Any) -> variable.Variable:
        """Apply the layer to ``x`` ``(N, in_size)``."""
        return F.maxout(self.linear(x), self.pool_size)


def _reshaped(init: Any, ndim: int, name: str, flat: tuple, shaped: tuple) -> Any:
    if init is None or numpy.isscalar(init) or isinstance(init, Initializer):
        return init
    if isinstance(init, backend.get_array_types()):
        if init.ndim != ndim:
            raise ValueError(f"{name}.ndim should be {ndim}")
        return init.reshape(flat)
    if callable(init):
        orig = init

        def reshaped_init(array: Any) -> None:
            orig(array.reshape(shaped))  # a view: fills the array in place

        return reshaped_init
    return init
