"""Move ``r x r`` spatial blocks into channels."""

from __future__ import annotations

from typing import Any

from kusari import variable


def space2depth(X: Any, r: int) -> variable.Variable:  # noqa: N803 (Chainer's name)
    """Rearrange ``(B, C, H, W)`` into ``(B, r * r * C, H / r, W / r)``.

    Channel ``(i * r + j) * C + c`` of the output holds pixel ``(i, j)`` of each
    ``r x r`` block of input channel ``c``; the inverse of :func:`depth2space`.

    Args:
        X: Variable or array of shape ``(B, C, H, W)``; ``H`` and ``W`` divisible by ``r``.
        r: The block size.

    Returns:
        The rearranged Variable.

    Raises:
        ValueError: ``H`` or ``W`` is not divisible by ``r``.

    Example:
        >>> import numpy
        >>> space2depth(numpy.zeros((1, 2, 4, 6), numpy.float32), 2).shape
        (1, 8, 2, 3)
    """
    from kusari.functions.array.reshape import reshape
    from kusari.functions.array.transpose import transpose

    b, c, h, w = X.shape
    if h % r or w % r:
        raise ValueError(f"space2depth: the spatial size {(h, w)} is not divisible by r={r}")
    y = reshape(transpose(X, (0, 2, 3, 1)), (b, h // r, r, w // r, r, c))
    y = transpose(y, (0, 1, 3, 2, 4, 5))
    y = reshape(y, (b, h // r, w // r, r * r * c))
    return transpose(y, (0, 3, 1, 2))
