"""Local response normalization across channels."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check

_new = variable.Variable._new


def _window_sum(a: Any, n: int) -> Any:
    """Sum over channels ``[c - n // 2, c + n // 2]`` (axis 1), zero padded."""
    s = a.copy()
    for i in range(1, n // 2 + 1):
        s[:, i:] += a[:, :-i]
        s[:, :-i] += a[:, i:]
    return s


class LocalResponseNormalization(FunctionNode):
    """``x / (k + alpha * sum_window(x^2))^beta``."""

    def __init__(self, n: int = 5, k: float = 2, alpha: float = 1e-4, beta: float = 0.75) -> None:
        self.n = n
        self.k = k
        self.alpha = alpha
        self.beta = beta

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ("x",))
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == "f", x_type.ndim >= 2)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        t = x.dtype.type
        unit = _window_sum(x * x, self.n)
        unit *= t(self.alpha)
        unit += t(self.k)
        self.unit_scale = unit
        self.scale = unit ** t(-self.beta)
        return force_array(x * self.scale, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x = self.inputs[0].data
        gy, = grad_outputs
        grad = LocalResponseNormalizationGrad(self)
        if not _fast_check.backprop_enabled():
            return _new(grad.forward((x, gy._data))[0], False),
        return grad.apply((self.get_retained_inputs()[0], gy))[0],


class LocalResponseNormalizationGrad(FunctionNode):
    """``gx = gy scale - 2 alpha beta x sum_window(y gy / unit_scale)``; not differentiable
    again (as in Chainer)."""

    def __init__(self, fwd: LocalResponseNormalization) -> None:
        self.fwd = fwd

    def forward(self, inputs: tuple) -> tuple:
        x, gy = inputs
        f = self.fwd
        t = x.dtype.type
        y = x * f.scale
        summand = y * gy / f.unit_scale
        gx = gy * f.scale - t(2 * f.alpha * f.beta) * x * _window_sum(summand, f.n)
        return force_array(gx, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        raise NotImplementedError(
            "local_response_normalization does not support double backpropagation")


def local_response_normalization(
    x: Any, n: int = 5, k: float = 2, alpha: float = 1e-4, beta: float = 0.75,
) -> variable.Variable:
    """Local response normalization across channels (AlexNet):
    :math:`y_c = x_c / (k + \\alpha \\sum_{c' = c - n/2}^{c + n/2} x_{c'}^2)^\\beta`.

    Args:
        x: Input of shape ``(N, C, ...)``, float.
        n: Window width (channels ``c - n // 2`` to ``c + n // 2``).
        k: Smoothing constant.
        alpha: Scale of the sum.
        beta: Exponent.

    Returns:
        The output, same shape and dtype.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not floating point or has fewer than
            two dimensions.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 3), numpy.float32)
        >>> local_response_normalization(x, n=3, k=1.0, alpha=1.0, beta=1.0).array.tolist()
        [[0.3333333432674408, 0.25, 0.3333333432674408]]
    """
    return LocalResponseNormalization(n, k, alpha, beta).apply((x,))[0]
