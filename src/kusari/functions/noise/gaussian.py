"""Gaussian sampling with the reparameterization trick."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check

_new = variable.Variable._new


class Gaussian(FunctionNode):
    """``mean + exp(ln_var / 2) * eps`` with ``eps ~ N(0, 1)`` drawn once per node."""

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def __init__(self, eps: Any = None) -> None:
        self.eps = eps

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("mean", "ln_var"))
        m_type, v_type = in_types
        type_check.expect(
            m_type.dtype.kind == "f",
            m_type.dtype == v_type.dtype,
            m_type.shape == v_type.shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((1,))
        mean, ln_var = inputs
        xp = get_array_module(mean)
        if self.eps is None:
            if xp is numpy:
                self.eps = numpy.random.standard_normal(ln_var.shape).astype(mean.dtype)
            else:
                dt = mean.dtype if mean.dtype != numpy.float16 else numpy.float32
                self.eps = xp.random.standard_normal(ln_var.shape, dtype=dt).astype(mean.dtype)
        noise = xp.exp(ln_var * mean.dtype.type(0.5)) * self.eps
        return force_array(mean + noise, mean.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy)
            elif not _fast_check.backprop_enabled():
                ln_var = self.inputs[1].data
                xp = get_array_module(ln_var)
                half = ln_var.dtype.type(0.5)
                g = gy._data * xp.exp(ln_var * half) * self.eps * half
                ret.append(_new(force_array(g, ln_var.dtype), False))
            else:
                from kusari.functions.math.exponential import exp

                ln_var, = self.get_retained_inputs()
                ret.append(gy * (exp(ln_var * 0.5) * self.eps) * 0.5)
        return tuple(ret)


def gaussian(mean: Any, ln_var: Any, *, eps: Any = None, return_eps: bool = False) -> Any:
    """Gaussian sample: :math:`y = \\mu + \\exp(\\ln\\sigma^2 / 2) \\, \\epsilon`.

    :math:`\\epsilon \\sim N(0, 1)` is drawn from ``numpy.random`` on the CPU (unless
    given); the output is differentiable in ``mean`` and ``ln_var``. Sampling happens in
    both training and test mode, as in Chainer.

    Args:
        mean: Mean :math:`\\mu`, float.
        ln_var: Log variance :math:`\\ln\\sigma^2`, same shape and dtype.
        eps: Noise to use instead of drawing it, same shape.
        return_eps: Also return the noise.

    Returns:
        The sample, or ``(sample, eps)`` with ``return_eps``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> m = numpy.zeros(3, numpy.float32)
        >>> y, e = gaussian(m, m, return_eps=True)
        >>> numpy.allclose(y.array, e)
        True
    """
    func = Gaussian(eps)
    out = func.apply((mean, ln_var))[0]
    if return_eps:
        return out, func.eps
    return out
