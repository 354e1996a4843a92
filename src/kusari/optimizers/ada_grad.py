"""AdaGrad."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import blocks, check_nonneg, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=0.001, eps=1e-8)


class AdaGradRule(optimizer.UpdateRule):
    """``h += g^2; param -= lr * g / (sqrt(h) + eps)`` (state ``h``).

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, lr: float | None = None,
                 eps: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, lr=lr, eps=eps)

    def init_state(self, param: Any) -> None:
        self.state["h"] = param.xp.zeros_like(param._data)

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        lr, eps = hp.lr, hp.eps
        for p, g, h in blocks(param._data, grad, self.state["h"]):
            a, b = scratch(g, 0), scratch(g, 1)
            numpy.multiply(g, g, out=a)
            h += a
            numpy.multiply(lr, g, out=a)
            numpy.sqrt(h, out=b)
            b += eps
            a /= b
            p -= a

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        cuda.elementwise(
            "T grad, T lr, T eps", "T param, T h",
            "h += grad * grad; param -= lr * grad / (sqrt(h) + eps);", "adagrad",
        )(grad, t(hp.lr), t(hp.eps), param._data, self.state["h"])


class AdaGrad(optimizer.GradientMethod):
    """AdaGrad (Duchi et al., JMLR 2011).

    Args:
        lr: Learning rate.
        eps: Small value for numerical stability.

    Raises:
        ValueError: A negative hyperparameter.
    """

    lr = optimizer.HyperparameterProxy("lr")
    eps = optimizer.HyperparameterProxy("eps")

    def __init__(self, lr: float = _default_hyperparam.lr,
                 eps: float = _default_hyperparam.eps) -> None:
        check_nonneg("AdaGrad", lr=lr, eps=eps)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self) -> AdaGradRule:
        return AdaGradRule(self.hyperparam)
