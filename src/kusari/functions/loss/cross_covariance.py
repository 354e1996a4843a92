"""Cross-covariance loss (and the covariance helper used by DeCov)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.loss import _util
from kusari.utils import type_check


def _covariance(y: variable.Variable, z: variable.Variable) -> variable.Variable:
    """``(y - mean y)^T (z - mean z) / N``."""
    from kusari.functions.array.broadcast import broadcast_to
    from kusari.functions.math.matmul import matmul
    from kusari.functions.math.sum import sum as f_sum

    n = y.shape[0]
    yc = y - broadcast_to(f_sum(y, axis=0, keepdims=True) * (1.0 / n), y.shape)
    zc = z - broadcast_to(f_sum(z, axis=0, keepdims=True) * (1.0 / n), z.shape)
    return matmul(yc, zc, transa=True) * (1.0 / n)


def cross_covariance(y: Any, z: Any, reduce: str = "half_squared_sum") -> variable.Variable:
    """Cross-covariance loss: :math:`\\frac12 \\sum_{ij} C_{ij}^2` with
    :math:`C = \\frac1N (y - \\bar y)^\\top (z - \\bar z)`.

    Args:
        y: ``(N, M)``.
        z: ``(N, K)``.
        reduce: ``'half_squared_sum'`` or ``'no'`` (the matrix :math:`C`).

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: Wrong shapes or dtypes.

    Example:
        >>> import numpy
        >>> y = numpy.array([[1.0], [-1.0]], numpy.float32)
        >>> cross_covariance(y, y).array.item()
        0.5
    """
    _util.check_reduce(reduce, ("half_squared_sum", "no"), capital=True)

    def check(in_types: Any) -> None:
        a, b = in_types
        type_check.expect(a.dtype.kind == "f", a.dtype == b.dtype, a.ndim == 2, b.ndim == 2,
                          a.shape[0] == b.shape[0])

    _util.check_types("CrossCovariance", (y, z), ("y", "z"), check)
    from kusari.functions.math.sum import sum as f_sum

    c = _covariance(_util.as_var(y), _util.as_var(z))
    if reduce == "no":
        return c
    return f_sum(c * c) * 0.5
