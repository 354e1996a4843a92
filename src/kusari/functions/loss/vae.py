"""Losses of variational auto-encoders: Gaussian KL divergence and negative log likelihoods."""

from __future__ import annotations

import math
from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.loss import _util
from kusari.utils import type_check

_REDUCE = ("sum", "mean", "no")


def _reduce(x: variable.Variable, reduce: str) -> variable.Variable:
    from kusari.functions.math.sum import sum as f_sum

    if reduce == "sum":
        return f_sum(x)
    if reduce == "mean":
        return f_sum(x) * (1.0 / max(x.size, 1))
    return x


class _Softplus(FunctionNode):
    """``log(1 + exp(x))``, stable; its derivative is the sigmoid (differentiable again)."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        return (xp.maximum(x, 0) + xp.log1p(xp.exp(-abs(x)))).astype(x.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.connection._rnn_util import sigmoid

        x, = self.get_retained_inputs()
        return grad_outputs[0] * sigmoid(x),


def gaussian_kl_divergence(mean: Any, ln_var: Any, reduce: str = "sum") -> variable.Variable:
    """KL divergence of :math:`N(\\mu, \\sigma^2)` from :math:`N(0, I)`.

    :math:`\\frac12 (\\mu^2 + \\sigma^2 - \\log \\sigma^2 - 1)` elementwise, with
    ``ln_var`` :math:`= \\log \\sigma^2`.

    Args:
        mean: Means :math:`\\mu`.
        ln_var: Log variances, same shape.
        reduce: ``'sum'``, ``'mean'`` or ``'no'``.

    Returns:
        The divergence Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> z = numpy.zeros(3, numpy.float32)
        >>> gaussian_kl_divergence(z, z).array.item()
        0.0
    """
    _util.check_reduce(reduce, _REDUCE)
    _util.check_types("gaussian_kl_divergence", (mean, ln_var), ("mean", "ln_var"),
                      _util.same_float)
    from kusari.functions.math.exponential import exp

    mean, ln_var = _util.as_var(mean), _util.as_var(ln_var)
    loss = (mean * mean + exp(ln_var) - ln_var - 1.0) * 0.5
    return _reduce(loss, reduce)


def bernoulli_nll(x: Any, y: Any, reduce: str = "sum") -> variable.Variable:
    """Negative log likelihood of ``x`` under a Bernoulli with logits ``y``.

    :math:`\\mathrm{softplus}(y) - x y` elementwise.

    Args:
        x: Observations in [0, 1].
        y: Logits of the Bernoulli parameters, same shape.
        reduce: ``'sum'``, ``'mean'`` or ``'no'``.

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> round(bernoulli_nll(numpy.ones(1, 'f'), numpy.zeros(1, 'f')).array.item(), 4)
        0.6931
    """
    _util.check_reduce(reduce, _REDUCE)
    _util.check_types("bernoulli_nll", (x, y), ("x", "y"), _util.same_float)
    x, y = _util.as_var(x), _util.as_var(y)
    loss = _Softplus().apply((y,))[0] - x * y
    return _reduce(loss, reduce)


def gaussian_nll(x: Any, mean: Any, ln_var: Any, reduce: str = "sum") -> variable.Variable:
    """Negative log likelihood of ``x`` under :math:`N(\\mu, \\sigma^2)` (diagonal).

    :math:`\\frac12 \\log(2\\pi) + \\frac12 \\log \\sigma^2 + \\frac{(x - \\mu)^2}{2
    \\sigma^2}` elementwise.

    Args:
        x: Observations.
        mean: Means, same shape.
        ln_var: Log variances, same shape.
        reduce: ``'sum'``, ``'mean'`` or ``'no'``.

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: Shapes or dtypes differ.

    Example:
        >>> import numpy
        >>> z = numpy.zeros(1, 'f')
        >>> round(gaussian_nll(z, z, z).array.item(), 4)
        0.9189
    """
    _util.check_reduce(reduce, _REDUCE)

    def check(in_types: Any) -> None:
        _util.same_float(in_types)
        type_check.expect(in_types[0].dtype == in_types[2].dtype,
                          in_types[0].shape == in_types[2].shape)

    _util.check_types("gaussian_nll", (x, mean, ln_var), ("x", "mean", "ln_var"), check)
    from kusari.functions.math.exponential import exp

    x, mean, ln_var = _util.as_var(x), _util.as_var(mean), _util.as_var(ln_var)
    d = x - mean
    loss = (ln_var + math.log(2 * math.pi)) * 0.5 + d * d * exp(-ln_var) * 0.5
    return _reduce(loss, reduce)
