"""SMORMS3."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import check_nonneg, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=0.001, eps=1e-16)


class SMORMS3Rule(optimizer.UpdateRule):
    """Simon Funk's SMORMS3 step (states ``mem``, ``g``, ``g2``).

    ``r = 1 / (mem + 1)``; ``g <- (1-r) g + r grad``; ``g2 <- (1-r) g2 + r grad^2``;
    ``x = g^2 / (g2 + eps)``; ``param -= grad min(x, lr) / (sqrt(g2) + eps)``;
    ``mem <- 1 + mem (1 - x)``.

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
        xp = param.xp
        self.state["mem"] = xp.ones_like(param._data)
        self.state["g"] = xp.zeros_like(param._data)
        self.state["g2"] = xp.zeros_like(param._data)

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        lr, eps = self.hyperparam.lr, self.hyperparam.eps
        mem, g, g2 = self.state["mem"], self.state["g"], self.state["g2"]
        r, s, u = scratch(grad, 0), scratch(grad, 1), scratch(grad, 2)
        numpy.add(mem, 1, out=r)
        numpy.divide(1, r, out=r)
        numpy.subtract(1, r, out=s)
        g *= s
        numpy.multiply(r, grad, out=u)
        g += u
        g2 *= s
        u *= grad
        g2 += u
        x = r  # r is no longer needed
        numpy.multiply(g, g, out=x)
        numpy.add(g2, eps, out=s)
        x /= s
        numpy.minimum(x, lr, out=s)
        s *= grad
        numpy.sqrt(g2, out=u)
        u += eps
        s /= u
        param._data -= s
        numpy.subtract(1, x, out=s)
        mem *= s
        mem += 1

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        s = self.state
        cuda.elementwise(
            "T grad, T lr, T eps", "T param, T mem, T g, T g2",
            """T r = 1 / (mem + 1);
               g = (1 - r) * g + r * grad;
               g2 = (1 - r) * g2 + r * grad * grad;
               T x = g * g / (g2 + eps);
               param -= grad * min(lr, x) / (sqrt(g2) + eps);
               mem = 1 + mem * (1 - x);""",
            "smorms3",
        )(grad, t(hp.lr), t(hp.eps), param._data, s["mem"], s["g"], s["g2"])


class SMORMS3(optimizer.GradientMethod):
    """SMORMS3 (http://sifter.org/~simon/journal/20150420.html).

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
        check_nonneg("SMORMS3", lr=lr, eps=eps)
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self) -> SMORMS3Rule:
        return SMORMS3Rule(self.hyperparam)
