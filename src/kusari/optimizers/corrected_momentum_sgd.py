"""Momentum SGD whose learning rate multiplies the whole velocity (Goyal et al. 2017)."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import check_nonneg, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=0.01, momentum=0.9)


class CorrectedMomentumSGDRule(optimizer.UpdateRule):
    """``v = momentum * v - grad; param += lr * v`` (state ``v``).

    Changing ``lr`` between steps rescales the whole velocity, which keeps training
    stable under learning-rate schedules (https://arxiv.org/abs/1706.02677).

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        lr: Learning rate.
        momentum: Momentum coefficient.
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
        hp = self.hyperparam
        v = self.state["v"]
        v *= hp.momentum
        v -= grad
        buf = scratch(grad)
        numpy.multiply(hp.lr, v, out=buf)
        param._data += buf

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        cuda.elementwise(
            "T grad, T lr, T momentum", "T param, T v",
            "v = momentum * v - grad; param += lr * v;", "corrected_momentum_sgd",
        )(grad, t(hp.lr), t(hp.momentum), param._data, self.state["v"])


class CorrectedMomentumSGD(optimizer.GradientMethod):
    """Momentum SGD with the learning rate applied to the velocity.

    ``v <- momentum * v - grad``, ``param <- param + lr * v``.

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
        check_nonneg("CorrectedMomentumSGD", lr=lr, momentum=momentum)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self) -> CorrectedMomentumSGDRule:
        return CorrectedMomentumSGDRule(self.hyperparam)
