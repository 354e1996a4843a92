"""Classical momentum SGD."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import blocks, check_nonneg, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=0.01, momentum=0.9)


class MomentumSGDRule(optimizer.UpdateRule):
    """``v = momentum * v - lr * grad; param += v`` (state ``v``).

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
        lr, momentum = hp.lr, hp.momentum
        for p, g, v in blocks(param._data, grad, self.state["v"]):
            buf = scratch(g)
            v *= momentum
            numpy.multiply(lr, g, out=buf)
            v -= buf
            p += v

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        cuda.elementwise(
            "T grad, T lr, T momentum", "T param, T v",
            "v = momentum * v - lr * grad; param += v;", "momentum_sgd",
        )(grad, t(hp.lr), t(hp.momentum), param._data, self.state["v"])


class MomentumSGD(optimizer.GradientMethod):
    """Momentum SGD: ``v <- momentum * v - lr * grad``, ``param <- param + v``.

    Args:
        lr: Learning rate.
        momentum: Momentum coefficient.

    Raises:
        ValueError: A negative hyperparameter.

    Example:
        >>> from kusari import optimizers
        >>> optimizers.MomentumSGD(lr=0.1).momentum
        0.9
    """

    lr = optimizer.HyperparameterProxy("lr")
    momentum = optimizer.HyperparameterProxy("momentum")

    def __init__(self, lr: float = _default_hyperparam.lr,
                 momentum: float = _default_hyperparam.momentum) -> None:
        check_nonneg(type(self).__name__, lr=lr, momentum=momentum)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self) -> MomentumSGDRule:
        return MomentumSGDRule(self.hyperparam)
