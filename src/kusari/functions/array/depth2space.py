"""Move channels into ``r x r`` spatial blocks."""

from __future__ import annotations

from typing import Any

from kusari import variable


def depth2space(X: Any, r: int) -> variable.Variable:  # noqa: N803 (Chainer's name)
    """Rearrange ``(B, r * r * C, H, W)`` into ``(B, C, r * H, r * W)``.

    The inverse of :func:`space2depth`.

    Args:
        X: Variable or array of shape ``(B, r * r * C, H, W)``.
        r: The block size.

    Returns:
        The rearranged Variable.

    Raises:
        ValueError: The channels are not divisible by ``r * r``.

    Example:
        >>> import numpy
        >>> depth2space(numpy.zeros((1, 8, 2, 3), numpy.float32), 2).shape
        (1, 2, 4, 6)
    """
    from kusari.functions.array.reshape import reshape
    from kusari.functions.array.transpose import transpose

    b, c, h, w = X.shape
    if c % (r * r):
        raise ValueError(f"depth2space: {c} channels are not divisible by r * r = {r * r}")
    oc = c // (r * r)
    y = reshape(transpose(X, (0, 2, 3, 1)), (b, h, w, r, r, oc))
    y = transpose(y, (0, 1, 3, 2, 4, 5))
    y = reshape(y, (b, h * r, w * r, oc))
    return transpose(y, (0, 3, 1, 2))
