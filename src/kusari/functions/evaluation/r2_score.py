"""Coefficient of determination."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


class R2_score(FunctionNode):  # noqa: N801 (Chainer's name)
    """``1 - SS_res / SS_tot`` per output column (not differentiable)."""

    def __init__(self, sample_weight: Any, multioutput: str) -> None:
        if sample_weight is not None:
            raise NotImplementedError("r2_score: sample_weight is not supported")
        if multioutput not in ("uniform_average", "raw_values"):
            raise ValueError("invalid multioutput argument")
        self.multioutput = multioutput

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("pred", "true"))
        pred_type, true_type = in_types
        type_check.expect(pred_type.dtype.kind == "f", true_type.dtype.kind == "f")
        type_check.expect(pred_type.shape == true_type.shape)

    def forward(self, inputs: tuple) -> tuple:
        pred, true = inputs
        xp = get_array_module(pred)
        ss_res = xp.asarray(((pred - true) ** 2).sum(axis=0))
        ss_tot = xp.asarray(((true - true.mean(axis=0)) ** 2).sum(axis=0))
        zero = ss_tot == 0
        # a constant target scores 0 (as Chainer), not -inf / nan
        ret = xp.where(zero, 0.0, 1 - ss_res / xp.where(zero, 1, ss_tot)).astype(pred.dtype)
        if self.multioutput == "uniform_average":
            return xp.asarray(ret.mean()),
        return ret,


def r2_score(
    pred: Any, true: Any, sample_weight: Any = None, multioutput: str = "uniform_average",
) -> variable.Variable:
    """R² score: :math:`1 - \\sum (y - \\hat{y})^2 / \\sum (y - \\bar{y})^2` over axis 0.

    Args:
        pred: Predictions, float.
        true: Targets, same shape, float.
        sample_weight: Must be None (for scikit-learn compatibility).
        multioutput: ``'uniform_average'`` (the mean over outputs) or ``'raw_values'``.

    Returns:
        A 0-d Variable, or one score per output with ``'raw_values'``.

    Raises:
        NotImplementedError: ``sample_weight`` is given.
        ValueError: ``multioutput`` is not one of the two values.
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> t = numpy.array([1.0, 2.0, 3.0], numpy.float32)
        >>> float(r2_score(t, t).array)
        1.0
    """
    return R2_score(sample_weight, multioutput).apply((pred, true))[0]
