"""M-SVAG: momentum with stochastic variance-adapted gradient."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers._util import check_nonneg, check_unit, make_defaults, scratch, set_given

_default_hyperparam = make_defaults(lr=0.1, beta=0.9, eta=1.0, weight_decay_rate=0)


class MSVAGRule(optimizer.UpdateRule):
    """M-SVAG step (Balles & Hennig, https://arxiv.org/abs/1705.07774), states ``m``, ``v``.

    With ``b = beta^t``: ``m``, ``v`` are the moving averages of ``g`` and ``g^2``;
    ``mt = m / (1 - b)``, ``vt = v / (1 - b)``,
    ``rho = (1-beta)^2 (1-b^2) / ((1-b)^2 (1-beta^2))`` (at most 0.9999),
    ``s = (vt - mt^2) / (1 - rho)``, ``factor = clip(mt^2 / (mt^2 + rho s), 0, 1)``
    (0 where undefined); ``param -= eta (lr mt factor + weight_decay_rate param)``.

    ``beta^t`` is computed from the step count, so a resumed run continues exactly.

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        lr, beta, eta, weight_decay_rate: Per-parameter overrides.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, lr: float | None = None,
                 beta: float | None = None, eta: float | None = None,
                 weight_decay_rate: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, lr=lr, beta=beta, eta=eta,
                  weight_decay_rate=weight_decay_rate)

    @property
    def beta_power(self) -> float:
        """``beta ** (t + 1)``: the bias-correction power the next step uses."""
        return self.hyperparam.beta ** (self.t + 1)

    def init_state(self, param: Any) -> None:
        xp = param.xp
        self.state["m"] = xp.zeros_like(param._data)
        self.state["v"] = xp.zeros_like(param._data)

    def _coefficients(self) -> tuple[float, float]:
        beta = self.hyperparam.beta
        bp = beta ** self.t
        rho = (1.0 - beta) ** 2 * (1.0 - bp ** 2) / ((1.0 - bp) ** 2 * (1.0 - beta ** 2))
        return bp, min(rho, 0.9999)

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        bp, rho = self._coefficients()
        m, v, data = self.state["m"], self.state["v"], param._data
        a, b, c = scratch(grad, 0), scratch(grad, 1), scratch(grad, 2)
        numpy.subtract(grad, m, out=a)
        a *= 1 - hp.beta
        m += a
        numpy.multiply(grad, grad, out=a)
        a -= v
        a *= 1 - hp.beta
        v += a
        numpy.divide(m, 1 - bp, out=a)  # mt
        numpy.divide(v, 1 - bp, out=b)  # vt
        numpy.multiply(a, a, out=c)  # mt^2
        b -= c
        b /= 1 - rho  # s
        b *= rho
        b += c
        numpy.divide(c, b, out=b)
        # clip into [0, 1] with NaN -> 0: fmax drops the NaN
        numpy.fmax(b, 0, out=b)
        numpy.minimum(b, 1, out=b)  # factor
        a *= hp.lr
        a *= b
        numpy.multiply(hp.weight_decay_rate, data, out=b)
        a += b
        a *= hp.eta
        data -= a

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        bp, rho = self._coefficients()
        t = grad.dtype.type
        cuda.elementwise(
            "T grad, T lr, T one_minus_beta, T correction, T rho, T eta, T weight_decay_rate",
            "T param, T m, T v",
            """m += one_minus_beta * (grad - m);
               v += one_minus_beta * (grad * grad - v);
               T mt = m / correction;
               T vt = v / correction;
               T mt2 = mt * mt;
               T s = (vt - mt2) / (1 - rho);
               T factor = mt2 / (mt2 + rho * s);
               factor = isnan(factor) ? T(0) : min(max(factor, T(0)), T(1));
               param -= eta * (lr * mt * factor + weight_decay_rate * param);""",
            "msvag",
        )(grad, t(hp.lr), t(1 - hp.beta), t(1 - bp), t(rho), t(hp.eta),
          t(hp.weight_decay_rate), param._data, self.state["m"], self.state["v"])


class MSVAG(optimizer.GradientMethod):
    """M-SVAG optimizer (https://arxiv.org/abs/1705.07774).

    Args:
        lr: Learning rate.
        beta: Exponential decay rate of the moments, in ``[0, 1)``.
        eta: Schedule multiplier.
        weight_decay_rate: Decoupled weight decay rate.

    Raises:
        ValueError: An out-of-range hyperparameter.
    """

    lr = optimizer.HyperparameterProxy("lr")
    beta = optimizer.HyperparameterProxy("beta")
    eta = optimizer.HyperparameterProxy("eta")
    weight_decay_rate = optimizer.HyperparameterProxy("weight_decay_rate")

    def __init__(self, lr: float = _default_hyperparam.lr,
                 beta: float = _default_hyperparam.beta,
                 eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate) -> None:
        check_nonneg("MSVAG", lr=lr, eta=eta, weight_decay_rate=weight_decay_rate)
        check_unit("MSVAG", beta=beta)
        super().__init__()
        hp = self.hyperparam
        hp.lr, hp.beta, hp.eta, hp.weight_decay_rate = lr, beta, eta, weight_decay_rate

    def create_update_rule(self) -> MSVAGRule:
        return MSVAGRule(self.hyperparam)
