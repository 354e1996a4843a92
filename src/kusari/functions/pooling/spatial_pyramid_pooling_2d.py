"""Spatial pyramid pooling: fixed-length features from inputs of any size."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.functions import _fast_check
from kusari.functions.pooling.max_pooling_nd import MaxPoolingND


def spatial_pyramid_pooling_2d(x: Any, pyramid_height: int,
                               pooling: str | None = None) -> variable.Variable:
    """Spatial pyramid pooling: max pooling into ``2^l x 2^l`` bins for each level ``l``.

    Level ``l`` pools with window ``ceil(h / 2^l) x ceil(w / 2^l)`` (stride = window,
    padding centred); the levels' outputs are flattened and concatenated.

    Args:
        x: Input of shape ``(n, c, h, w)``.
        pyramid_height: Number of levels.
        pooling: Must be ``'max'``.

    Returns:
        Output of shape ``(n, c * sum_l 4^l, 1, 1)``.

    Raises:
        ValueError: ``pooling`` is not ``'max'``.

    Example:
        >>> import numpy
        >>> spatial_pyramid_pooling_2d(numpy.ones((2, 3, 5, 5), 'f'), 3, 'max').shape
        (2, 63, 1, 1)
    """
    from kusari.functions.array.reshape import reshape
    from kusari.functions.connection._rnn_util import concat

    if pooling != "max":
        raise ValueError("Unsupported pooling operation: ", pooling)
    n, _, h, w = x.shape
    ys = []
    for level in range(pyramid_height):
        bins = 2 ** level
        kh = int(math.ceil(h / bins))
        kw = int(math.ceil(w / bins))
        pad = ((kh * bins - h) // 2, (kw * bins - w) // 2)
        node = MaxPoolingND(2, (kh, kw), (kh, kw), pad, True, False, "MaxPooling2D")
        node.need_indexes = _fast_check.needs_grad(x)
        y, = node.apply((x,))
        ys.append(reshape(y, (n, -1, 1, 1)))
    return concat(ys, 1)
