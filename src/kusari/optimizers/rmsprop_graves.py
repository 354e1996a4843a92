"""Graves' RMSprop with momentum."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import check_nonneg, check_unit, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=1e-4, alpha=0.95, momentum=0.9, eps=1e-4)


class RMSpropGravesRule(optimizer.UpdateRule):
    """Graves' RMSprop step (states ``n``, ``g``, ``delta``).

    ``n <- a n + (1-a) grad^2``; ``g <- a g + (1-a) grad``;
    ``delta <- momentum delta - lr grad / sqrt(n - g^2 + eps)``; ``param += delta``.

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        lr: Learning rate.
        alpha: Decay rate ``a`` of the moving averages.
        momentum: Momentum coefficient.
        eps: Small value for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, lr: float | None = None,
                 alpha: float | None = None, momentum: float | None = None,
                 eps: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, lr=lr, alpha=alpha, momentum=momentum, eps=eps)

    def init_state(self, param: Any) -> None:
        xp = param.xp
        for key in ("n", "g", "delta"):
            self.state[key] = xp.zeros_like(param._data)

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        n, g, delta = self.state["n"], self.state["g"], self.state["delta"]
        a, b = scratch(grad, 0), scratch(grad, 1)
        n *= hp.alpha
        numpy.multiply(1 - hp.alpha, grad, out=a)
        a *= grad
        n += a
        g *= hp.alpha
        numpy.multiply(1 - hp.alpha, grad, out=a)
        g += a
        delta *= hp.momentum
        numpy.multiply(hp.lr, grad, out=a)
        numpy.multiply(g, g, out=b)
        numpy.subtract(n, b, out=b)
        b += hp.eps
        numpy.sqrt(b, out=b)
        a /= b
        delta -= a
        param._data += delta

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        s = self.state
        cuda.elementwise(
            "T grad, T lr, T alpha, T momentum, T eps", "T param, T avg_n, T avg_g, T delta",
            """avg_n = alpha * avg_n + (1 - alpha) * grad * grad;
               avg_g = alpha * avg_g + (1 - alpha) * grad;
               delta = delta * momentum - lr * grad / sqrt(avg_n - avg_g * avg_g + eps);
               param += delta;""",
            "rmsprop_graves",
        )(grad, t(hp.lr), t(hp.alpha), t(hp.momentum), t(hp.eps), param._data,
          s["n"], s["g"], s["delta"])


class RMSpropGraves(optimizer.GradientMethod):
    """Alex Graves' RMSprop (http://arxiv.org/abs/1308.0850).

    Args:
        lr: Learning rate.
        alpha: Decay rate of the moving averages, in ``[0, 1)``.
        momentum: Momentum coefficient.
        eps: Small value for numerical stability.

    Raises:
        ValueError: An out-of-range hyperparameter.
    """

    lr = optimizer.HyperparameterProxy("lr")
    alpha = optimizer.HyperparameterProxy("alpha")
    momentum = optimizer.HyperparameterProxy("momentum")
    eps = optimizer.HyperparameterProxy("eps")

    def __init__(self, lr: float = _default_hyperparam.lr,
                 alpha: float = _default_hyperparam.alpha,
                 momentum: float = _default_hyperparam.momentum,
                 eps: float = _default_hyperparam.eps) -> None:
        check_nonneg("RMSpropGraves", lr=lr, momentum=momentum, eps=eps)
        check_unit("RMSpropGraves", alpha=alpha)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.momentum = momentum
        self.hyperparam.eps = eps

    def create_update_rule(self) -> RMSpropGravesRule:
        return RMSpropGravesRule(self.hyperparam)
