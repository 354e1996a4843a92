"""Two-dimensional unpooling."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.pooling.unpooling_nd import UnpoolingND


def unpooling_2d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> variable.Variable:
    """Two-dimensional unpooling: each pixel is copied over its window (overlaps add).

    Args:
        x: Input of shape ``(n, c, h, w)``.
        ksize: Window size.
        stride: Stride; None means ``ksize``.
        pad: Padding.
        outsize: ``(h_out, w_out)`` or None for ``s (h - 1) + k - 2 p`` (``s - 1`` less
            with ``cover_all``).
        cover_all: Whether the matching pooling used ``cover_all``.

    Returns:
        Output of shape ``(n, c, h_out, w_out)``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtype or rank, or inconsistent
            ``outsize``.

    Example:
        >>> import numpy
        >>> unpooling_2d(numpy.ones((1, 1, 2, 2), 'f'), 2, cover_all=False).shape
        (1, 1, 4, 4)
    """
    return UnpoolingND(2, ksize, stride, pad, outsize, cover_all, "Unpooling2D").apply((x,))[0]
