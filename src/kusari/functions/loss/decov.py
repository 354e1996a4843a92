"""DeCov loss: penalizes off-diagonal covariance of hidden activations."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.functions.loss import _util
from kusari.functions.loss.cross_covariance import _covariance
from kusari.utils import type_check


def decov(h: Any, reduce: str = "half_squared_sum") -> variable.Variable:
    """DeCov loss: :math:`\\frac12 (\\|C\\|_F^2 - \\|\\mathrm{diag}(C)\\|_2^2)` with
    :math:`C = \\frac1N (h - \\bar h)^\\top (h - \\bar h)`.

    Args:
        h: Activations ``(N, M)``.
        reduce: ``'half_squared_sum'`` or ``'no'`` (:math:`C` with its diagonal zeroed).

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: ``h`` is not a float matrix.

    Example:
        >>> import numpy
        >>> h = numpy.array([[1.0, 1.0], [-1.0, -1.0]], numpy.float32)
        >>> decov(h).array.item()
        1.0
    """
    _util.check_reduce(reduce, ("half_squared_sum", "no"))

    def check(in_types: Any) -> None:
        type_check.expect(in_types[0].dtype.kind == "f", in_types[0].ndim == 2)

    _util.check_types("DeCov", (h,), ("h",), check)
    from kusari.functions.math.sum import sum as f_sum

    hv = _util.as_var(h)
    c = _covariance(hv, hv)
    m = c.shape[0]
    off = 1 - hv.xp.eye(m, dtype=hv.dtype)
    c = c * off
    if reduce == "no":
        return c
    return f_sum(c * c) * 0.5
