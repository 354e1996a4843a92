"""Nesterov's accelerated gradient."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import check_nonneg, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=0.01, momentum=0.9)


class NesterovAGRule(optimizer.UpdateRule):
    """Nesterov momentum in the reformulation of Bengio et al. (state ``v``).

    ``v <- mu v - lr g``; ``param <- param + mu^2 v - (1 + mu) lr g``.

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        lr: Learning rate.
        momentum: Momentum coefficient ``mu``.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, lr: float | None = None,
                 momentum: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, lr=lr, momentum=momentum)

    def init_state(self, param: Any) -> None:
        self.state["v"] = param.xp.zeros_like(param._data)

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        lr, mu = self.hyperparam.lr, self.hyperparam.momentum
        v, data = self.state["v"], param._data
        buf = scratch(grad)
        v *= mu
        numpy.multiply(lr, grad, out=buf)
        v -= buf
        numpy.multiply(mu * mu, v, out=buf)
        data += buf
        numpy.multiply((1 + mu) * lr, grad, out=buf)
        data -= buf

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        cuda.elementwise(
            "T grad, T lr, T momentum", "T param, T v",
            """v = v * momentum - lr * grad;
               param += momentum * momentum * v - (1 + momentum) * lr * grad;""",
            "nesterov_ag",
        )(grad, t(hp.lr), t(hp.momentum), param._data, self.state["v"])


class NesterovAG(optimizer.GradientMethod):
    """Nesterov's accelerated gradient (http://arxiv.org/abs/1212.0901).

    Args:
        lr: Learning rate.
        momentum: Momentum coefficient.

    Raises:
        ValueError: A negative hyperparameter.
    """

    lr = optimizer.HyperparameterProxy("lr")
    momentum = optimizer.HyperparameterProxy("momentum")

    def __init__(self, lr: float = _default_hyperparam.lr,
                 momentum: float = _default_hyperparam.momentum) -> None:
        check_nonneg("NesterovAG", lr=lr, momentum=momentum)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self) -> NesterovAGRule:
        return NesterovAGRule(self.hyperparam)
