"""Layer normalization."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.normalization._ops import ArrayOps, VariableOps, as_var, bn_grads
from kusari.utils import force_array, type_check

_new = variable.Variable._new


def standardize_grad(ops: Any, x: Any, gxhat: Any, axis: tuple, eps: float,
                     mean: Any = None, inv_std: Any = None) -> Any:
    """The gradient through ``xhat = (x - mean) / sqrt(var + eps)`` over ``axis``."""
    key = tuple(s for i, s in enumerate(x.shape) if i not in axis)
    xp = get_array_module(x.array if isinstance(x, variable.Variable) else x)
    ones = xp.ones(key, x.dtype)
    if ops is VariableOps:
        ones = as_var(ones)
    return bn_grads(ops, x, ones, gxhat, axis, eps, mean, inv_std)[0]


class LayerNormalization(FunctionNode):
    """Normalize each row of ``x`` to zero mean and unit variance, then scale and shift."""

    def __init__(self, eps: float = 1e-5) -> None:
        self.eps = eps

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ("x", "gamma", "beta"))
        x_type, gamma_type, beta_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            x_type.ndim == 2,
            gamma_type.ndim == 1,
            beta_type.ndim == 1,
            gamma_type.dtype == x_type.dtype,
            beta_type.dtype == x_type.dtype,
            gamma_type.shape == beta_type.shape,
            x_type.shape[1] == gamma_type.shape[0],
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, gamma, beta = inputs
        xp = get_array_module(x)
        mean = x.mean(axis=1, keepdims=True)
        xc = x - mean
        var = (xc * xc).mean(axis=1, keepdims=True)
        inv_std = 1 / xp.sqrt(var + x.dtype.type(self.eps))
        self.mean, self.inv_std = mean[:, 0], inv_std[:, 0]
        xc *= inv_std
        xc *= gamma
        xc += beta
        return force_array(xc, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x, gamma = self.inputs[0].data, self.inputs[1].data
            g = gy._data
            xhat = (x - self.mean[:, None]) * self.inv_std[:, None]
            gs = (
                lambda: standardize_grad(ArrayOps, x, g * gamma, (1,), self.eps,
                                         self.mean, self.inv_std),
                lambda: (g * xhat).sum(axis=0),
                lambda: g.sum(axis=0),
            )
            return tuple(_new(force_array(gs[i](), x.dtype), False) for i in indexes)
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.math.sum import sum as f_sum

        x, gamma = self.get_retained_inputs()
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(standardize_grad(
                    VariableOps, x, gy * broadcast_to(gamma, x.shape), (1,), self.eps))
            elif i == 1:
                n = x.shape[1]
                mean = broadcast_to(f_sum(x, axis=1, keepdims=True) * (1.0 / n), x.shape)
                xc = x - mean
                var = f_sum(xc * xc, axis=1, keepdims=True) * (1.0 / n)
                xhat = xc * broadcast_to((var + self.eps) ** -0.5, x.shape)
                ret.append(f_sum(gy * xhat, axis=0))
            else:
                ret.append(f_sum(gy, axis=0))
        return tuple(ret)


def layer_normalization(x: Any, gamma: Any, beta: Any, eps: float = 1e-5) -> variable.Variable:
    """Layer normalization: :math:`y = \\gamma \\hat{x} + \\beta`, each row of ``x``
    standardized: :math:`\\hat{x} = (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon}`.

    Args:
        x: Input of shape ``(N, U)``, float.
        gamma: Scale of shape ``(U,)``, same dtype.
        beta: Shift of shape ``(U,)``, same dtype.
        eps: :math:`\\epsilon`.

    Returns:
        The output, shape ``(N, U)``.

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.array([[1.0, 3.0]], numpy.float32)
        >>> g, b = numpy.ones(2, numpy.float32), numpy.zeros(2, numpy.float32)
        >>> layer_normalization(x, g, b, eps=0.0).array.tolist()
        [[-1.0, 1.0]]
    """
    return LayerNormalization(eps).apply((x, gamma, beta))[0]
