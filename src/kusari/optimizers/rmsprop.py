"""RMSprop."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import (
    blocks,
    check_nonneg,
    check_unit,
    make_defaults,
    scratch,
    set_given,
)

_default_hyperparam = make_defaults(lr=0.01, alpha=0.99, eps=1e-8, eps_inside_sqrt=False)


class RMSpropRule(optimizer.UpdateRule):
    """``ms <- alpha ms + (1 - alpha) g^2``; ``param -= lr g / (sqrt(ms) + eps)`` (state ``ms``).

    With ``eps_inside_sqrt`` the denominator is ``sqrt(ms + eps)``.

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        lr: Learning rate.
        alpha: Decay rate of the moving average of ``g^2``.
        eps: Small value for numerical stability.
        eps_inside_sqrt: Put ``eps`` inside the square root.

    Raises:
        ValueError: (when updating) ``eps`` underflows to 0 in the gradient's dtype.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, lr: float | None = None,
                 alpha: float | None = None, eps: float | None = None,
                 eps_inside_sqrt: bool | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, lr=lr, alpha=alpha, eps=eps, eps_inside_sqrt=eps_inside_sqrt)

    def init_state(self, param: Any) -> None:
        self.state["ms"] = param.xp.zeros_like(param._data)

    def _eps(self, dtype: Any) -> Any:
        hp = self.hyperparam
        eps = dtype.type(hp.eps)
        if hp.eps != 0 and eps == 0:
            raise ValueError(f"eps of RMSprop optimizer is too small for {dtype.name} "
                             f"({hp.eps})")
        return eps

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        eps = self._eps(grad.dtype)
        lr, alpha, inside = hp.lr, hp.alpha, hp.eps_inside_sqrt
        for p, g, ms in blocks(param._data, grad, self.state["ms"]):
            a, b = scratch(g, 0), scratch(g, 1)
            ms *= alpha
            numpy.multiply(1 - alpha, g, out=a)
            a *= g
            ms += a
            if inside:
                numpy.add(ms, eps, out=b)
                numpy.sqrt(b, out=b)
            else:
                numpy.sqrt(ms, out=b)
                b += eps
            numpy.multiply(lr, g, out=a)
            a /= b
            p -= a

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        eps = self._eps(grad.dtype)
        t = grad.dtype.type
        denom = "sqrt(ms + eps)" if hp.eps_inside_sqrt else "(sqrt(ms) + eps)"
        cuda.elementwise(
            "T grad, T lr, T alpha, T eps", "T param, T ms",
            f"ms = alpha * ms + (1 - alpha) * grad * grad; param -= lr * grad / {denom};",
            "rmsprop_inside" if hp.eps_inside_sqrt else "rmsprop",
        )(grad, t(hp.lr), t(hp.alpha), eps, param._data, self.state["ms"])


class RMSprop(optimizer.GradientMethod):
    """RMSprop (Tieleman & Hinton, 2012).

    Args:
        lr: Learning rate.
        alpha: Decay rate of the moving average of squared gradients, in ``[0, 1)``.
        eps: Small value for numerical stability.
        eps_inside_sqrt: Use ``sqrt(ms + eps)`` rather than ``sqrt(ms) + eps``.

    Raises:
        ValueError: An out-of-range hyperparameter.
    """

    lr = optimizer.HyperparameterProxy("lr")
    alpha = optimizer.HyperparameterProxy("alpha")
    eps = optimizer.HyperparameterProxy("eps")
    eps_inside_sqrt = optimizer.HyperparameterProxy("eps_inside_sqrt")

    def __init__(self, lr: float = _default_hyperparam.lr,
                 alpha: float = _default_hyperparam.alpha,
                 eps: float = _default_hyperparam.eps,
                 eps_inside_sqrt: bool = _default_hyperparam.eps_inside_sqrt) -> None:
        check_nonneg("RMSprop", lr=lr, eps=eps)
        check_unit("RMSprop", alpha=alpha)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.eps = eps
        self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def create_update_rule(self) -> RMSpropRule:
        return RMSpropRule(self.hyperparam)
