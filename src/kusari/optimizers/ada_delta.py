"""AdaDelta."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import check_nonneg, check_unit, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(rho=0.95, eps=1e-6)


class AdaDeltaRule(optimizer.UpdateRule):
    """AdaDelta step (states ``msg``, ``msdx``).

    ``msg <- rho msg + (1 - rho) g^2``; ``dx = sqrt((msdx + eps) / (msg + eps)) g``;
    ``msdx <- rho msdx + (1 - rho) dx^2``; ``param <- param - dx``.

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        rho: Exponential decay rate of the moments.
        eps: Small value for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, rho: float | None = None,
                 eps: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, rho=rho, eps=eps)

    def init_state(self, param: Any) -> None:
        xp = param.xp
        self.state["msg"] = xp.zeros_like(param._data)
        self.state["msdx"] = xp.zeros_like(param._data)

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        rho, eps = self.hyperparam.rho, self.hyperparam.eps
        msg, msdx = self.state["msg"], self.state["msdx"]
        a, b = scratch(grad, 0), scratch(grad, 1)
        msg *= rho
        numpy.multiply(1 - rho, grad, out=a)
        a *= grad
        msg += a
        numpy.add(msdx, eps, out=a)
        numpy.add(msg, eps, out=b)
        a /= b
        numpy.sqrt(a, out=a)
        a *= grad  # a = dx
        msdx *= rho
        numpy.multiply(1 - rho, a, out=b)
        b *= a
        msdx += b
        param._data -= a

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        t = grad.dtype.type
        cuda.elementwise(
            "T grad, T one_minus_rho, T eps", "T param, T msg, T msdx",
            """msg = msg + one_minus_rho * (grad * grad - msg);
               T dx = sqrt((msdx + eps) / (msg + eps)) * grad;
               msdx += one_minus_rho * (dx * dx - msdx);
               param -= dx;""",
            "adadelta",
        )(grad, t(1 - hp.rho), t(hp.eps), param._data, self.state["msg"], self.state["msdx"])


class AdaDelta(optimizer.GradientMethod):
    """AdaDelta (Zeiler, http://arxiv.org/abs/1212.5701).

    Args:
        rho: Exponential decay rate of the moments, in ``[0, 1)``.
        eps: Small value for numerical stability.

    Raises:
        ValueError: An out-of-range hyperparameter.
    """

    rho = optimizer.HyperparameterProxy("rho")
    eps = optimizer.HyperparameterProxy("eps")

    def __init__(self, rho: float = _default_hyperparam.rho,
                 eps: float = _default_hyperparam.eps) -> None:
        check_unit("AdaDelta", rho=rho)
        check_nonneg("AdaDelta", eps=eps)
        super().__init__()
        self.hyperparam.rho = rho
        self.hyperparam.eps = eps

    def create_update_rule(self) -> AdaDeltaRule:
        return AdaDeltaRule(self.hyperparam)
