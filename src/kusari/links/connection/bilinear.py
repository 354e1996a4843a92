"""Bilinear layer."""

from __future__ import annotations

from typing import Any

from kusari import backend, initializers, variable
from kusari.link import Link


def _check_shape(value: Any, shape: tuple, name: str) -> None:
    if isinstance(value, backend.get_array_types()) and value.shape != shape:
        raise AssertionError(f"{name} must have shape {shape}, got {value.shape}")


class Bilinear(Link):
    """``y_k = e1^T W_k e2 + V1_k . e1 + V2_k . e2 + b_k``.

    Parameters ``W`` ``(left, right, out)``, and unless ``nobias``: ``V1`` ``(left, out)``,
    ``V2`` ``(right, out)``, ``b`` ``(out,)``.

    Args:
        left_size: Size of ``e1``.
        right_size: Size of ``e2``.
        out_size: Output size.
        nobias: Only the bilinear term when True.
        initialW: Initializer of ``W``.
        initial_bias: ``(initialV1, initialV2, initialb)`` or None (LeCunNormal for
            ``V1``, ``V2``; zeros for ``b``).

    Raises:
        ValueError: ``initial_bias`` is neither a tuple nor None.

    Example:
        >>> import numpy
        >>> Bilinear(2, 3, 4)(numpy.ones((5, 2), numpy.float32),
        ...                   numpy.ones((5, 3), numpy.float32)).shape
        (5, 4)
    """

    def __init__(self, left_size: int, right_size: int, out_size: int, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:
        super().__init__()
        self.in_sizes = (left_size, right_size)
        self.nobias = nobias
        with self.init_scope():
            shape = (left_size, right_size, out_size)
            _check_shape(initialW, shape, "initialW")
            self.W = variable.Parameter(initializers._get_initializer(initialW), shape)
            if nobias:
                return
            v1_shape, v2_shape, b_shape = (left_size, out_size), (right_size, out_size), \
                (out_size,)
            if isinstance(initial_bias, tuple):
                init_v1, init_v2, init_b = initial_bias
                _check_shape(init_v1, v1_shape, "initialV1")
                _check_shape(init_v2, v2_shape, "initialV2")
                _check_shape(init_b, b_shape, "initialb")
                init_v1 = initializers._get_initializer(init_v1)
                init_v2 = initializers._get_initializer(init_v2)
                init_b = initializers._get_initializer(init_b)
            elif initial_bias is None:
                init_v1 = initializers._get_initializer(None)
                init_v2 = initializers._get_initializer(None)
                init_b = 0
            else:
                raise ValueError("initial_bias must be tuple or None")
            self.V1 = variable.Parameter(init_v1, v1_shape)
            self.V2 = variable.Parameter(init_v2, v2_shape)
            self.b = variable.Parameter(init_b, b_shape)

    def forward(self, e1: Any, e2: Any) -> variable.Variable:
        """Apply the layer to ``e1`` ``(N, left)`` and ``e2`` ``(N, right)``."""
        from kusari import functions as F

        if self.nobias:
            return F.bilinear(e1, e2, self.W)
        return F.bilinear(e1, e2, self.W, self.V1, self.V2, self.b)

    def zero_grads(self) -> None:
        """Deprecated alias of :meth:`zerograds`."""
        self.zerograds()
