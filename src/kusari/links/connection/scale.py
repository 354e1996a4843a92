"""Broadcasted elementwise product layer."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.link import Chain
from kusari.links.connection.bias import Bias


class Scale(Chain):
    """``y = x * W`` (``W`` broadcast from ``axis``), optionally plus a :class:`Bias`.

    Called with one input when ``W_shape`` is given (``W`` is learnt, initialized to
    ones); otherwise with two, ``(x, W)``.

    Args:
        axis: First axis of ``x`` that ``W`` covers.
        W_shape: Shape of the learnt ``W``, or None.
        bias_term: Add a learnt bias (child link ``bias``).
        bias_shape: Shape of the bias when ``W_shape`` is None.

    Raises:
        ValueError: ``bias_term`` without any shape for the bias.

    Example:
        >>> import numpy
        >>> s = Scale(W_shape=(3,), bias_term=True)
        >>> s(numpy.ones((2, 3), numpy.float32)).shape
        (2, 3)
    """

    def __init__(self, axis: int = 1, W_shape: Any = None, bias_term: bool = False,
                 bias_shape: Any = None) -> None:
        super().__init__()
        self.axis = axis
        with self.init_scope():
            if W_shape is not None:
                self.W = variable.Parameter(1, W_shape)
                if bias_term:
                    self.bias = Bias(axis, W_shape)
            elif bias_term:
                if bias_shape is None:
                    raise ValueError("bias_shape should be given if W is not learnt parameter "
                                     "and bias_term is True.")
                self.bias = Bias(axis, bias_shape)

    def forward(self, *xs: Any) -> variable.Variable:
        """``x * W`` (one input, learnt ``W``) or ``x * y`` (two inputs), then the bias."""
        from kusari.functions.math.scale import scale

        if hasattr(self, "W"):
            (x,) = xs
            z = scale(x, self.W, self.axis)
        else:
            x, y = xs
            z = scale(x, y, self.axis)
        if hasattr(self, "bias"):
            return self.bias(z)
        return z
