"""Gumbel-softmax sampling."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.functions.activation.softmax import softmax


def gumbel_softmax(log_pi: Any, tau: Any = 0.1, axis: int = 1) -> variable.Variable:
    """Gumbel-softmax: :math:`y = \\mathrm{softmax}((\\log \\pi + g) / \\tau)`.

    :math:`g` is Gumbel(0, 1) noise drawn from ``xp.random`` (``numpy.random`` on the CPU).

    Args:
        log_pi: Unnormalized log probabilities, float.
        tau: Temperature, a float or a Variable / array broadcastable to ``log_pi``.
        axis: The class axis.

    Returns:
        A sample from the relaxed categorical distribution, same shape as ``log_pi``
        (a 0-d input gives the constant 1).

    Example:
        >>> import numpy
        >>> y = gumbel_softmax(numpy.zeros((2, 3), numpy.float32))
        >>> numpy.allclose(y.array.sum(axis=1), 1)
        True
    """
    xp = get_array_module(log_pi)
    if log_pi.ndim < 1:
        return variable.Variable(xp.ones((), log_pi.dtype))
    g = xp.random.gumbel(size=log_pi.shape).astype(log_pi.dtype)
    return softmax((variable.as_variable(log_pi) + g) / tau, axis=axis)
