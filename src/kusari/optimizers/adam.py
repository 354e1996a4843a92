"""Adam and its variants: AdamW, AMSGrad, AdaBound, AMSBound."""

from __future__ import annotations

import math
import warnings
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

_default_hyperparam = make_defaults(
    alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0, weight_decay_rate=0,
    amsgrad=False, adabound=False, final_lr=0.1, gamma=1e-3,
)


def _learning_rate(hp: Any, t: int) -> float:
    """The bias-corrected step ``alpha sqrt(1 - beta2^t) / (1 - beta1^t)``."""
    if t == 0:
        raise RuntimeError("Can't determine the learning rate of Adam optimizer because the "
                           "update steps have not been started.")
    fix1 = 1.0 - math.pow(hp.beta1, t)
    fix2 = 1.0 - math.pow(hp.beta2, t)
    return hp.alpha * math.sqrt(fix2) / fix1


# One kernel for all variants: AMSGrad keeps vhat = max(vhat, v) (a 0-size dummy
# otherwise), AdaBound clips the step into [lower, upper] ([0, inf] disables it).
_KERNEL_BODY = """
T grad_ = static_cast<T>(grad);
T m_ = static_cast<T>(m) + one_minus_beta1 * (grad_ - static_cast<T>(m));
T v_ = static_cast<T>(v) + one_minus_beta2 * (grad_ * grad_ - static_cast<T>(v));
m = static_cast<P>(m_);
v = static_cast<P>(v_);
T denom = v_;
{amsgrad}
T step = min(max(alpha_t / (sqrt(denom) + eps), lower), upper);
param -= static_cast<P>(eta * (step * m_ + weight_decay_rate * static_cast<T>(param)));
"""


def _kernel(amsgrad: bool) -> Any:
    if amsgrad:
        body = _KERNEL_BODY.format(amsgrad="T vh = max(static_cast<T>(vhat), v_); "
                                           "vhat = static_cast<P>(vh); denom = vh;")
        return cuda.elementwise(
            "P grad, T alpha_t, T one_minus_beta1, T one_minus_beta2, T lower, T upper, "
            "T eps, T eta, T weight_decay_rate", "P param, P m, P v, P vhat", body, "amsgrad")
    return cuda.elementwise(
        "P grad, T alpha_t, T one_minus_beta1, T one_minus_beta2, T lower, T upper, "
        "T eps, T eta, T weight_decay_rate", "P param, P m, P v",
        _KERNEL_BODY.format(amsgrad=""), "adam")


class AdamRule(optimizer.UpdateRule):
    """Adam step with decoupled weight decay, AMSGrad and AdaBound options.

    ``m <- m + (1 - beta1)(g - m)``; ``v <- v + (1 - beta2)(g^2 - v)``;
    ``vhat = max(vhat, v)`` with AMSGrad (else ``v``);
    ``step = alpha_t / (sqrt(vhat) + eps)``, clipped into the AdaBound bounds;
    ``param <- param - eta (step m + weight_decay_rate param)``.
    States ``m``, ``v`` (and ``vhat``). float16 parameters compute in float32.

    Args:
        parent_hyperparam: The optimizer's hyperparameters.
        alpha, beta1, beta2, eps, eta, weight_decay_rate, amsgrad, adabound, final_lr,
        gamma: Per-parameter overrides (see :class:`Adam`).
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam: Any = None, alpha: float | None = None,
                 beta1: float | None = None, beta2: float | None = None,
                 eps: float | None = None, eta: float | None = None,
                 weight_decay_rate: float | None = None, amsgrad: bool | None = None,
                 adabound: bool | None = None, final_lr: float | None = None,
                 gamma: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_given(self.hyperparam, alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                  weight_decay_rate=weight_decay_rate, amsgrad=amsgrad, adabound=adabound,
                  final_lr=final_lr, gamma=gamma)
        # AdaBound's final learning rate follows alpha relative to its initial value
        self.initial_alpha = self.hyperparam.alpha

    def init_state(self, param: Any) -> None:
        xp = param.xp
        self.state["m"] = xp.zeros_like(param._data)
        self.state["v"] = xp.zeros_like(param._data)
        if self.hyperparam.amsgrad:
            self.state["vhat"] = xp.zeros_like(param._data)

    @property
    def alpha_t(self) -> float:
        """The bias-corrected learning rate at this rule's step ``t``.

        Raises:
            RuntimeError: No step has been taken.
        """
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self) -> float:
        """Deprecated alias of :attr:`alpha_t` (warns, as Chainer 6+)."""
        warnings.warn("AdamRule.lr has been renamed to AdamRule.alpha_t. Use of AdamRule.lr "
                      "is deprecated in Chainer v6.", DeprecationWarning, stacklevel=2)
        return self.alpha_t

    @property
    def bounds(self) -> tuple[float, float]:
        """AdaBound's ``(lower, upper)`` step bounds at step ``t``.

        Raises:
            RuntimeError: No step has been taken.
        """
        if self.t == 0:
            raise RuntimeError("Can't determine the bounds of AdaBound optimizer because the "
                               "update steps have not been started.")
        hp = self.hyperparam
        final_lr = hp.final_lr * hp.alpha / self.initial_alpha
        lower = final_lr * (1.0 - 1.0 / (hp.gamma * self.t + 1))
        upper = final_lr * (1.0 + 1.0 / (hp.gamma * self.t))
        return lower, upper

    def _check_eps(self, dtype: Any) -> None:
        eps = self.hyperparam.eps
        if eps != 0 and dtype.type(eps) == 0:
            raise ValueError(f"eps of Adam optimizer is too small for {dtype.name} ({eps})")

    def update_core_cpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        data = param._data
        if data.dtype == numpy.float16:
            self._update_half(param)
            return
        self._check_eps(data.dtype)
        one_minus_beta1, one_minus_beta2 = 1.0 - hp.beta1, 1.0 - hp.beta2
        eps, alpha_t, amsgrad, neg_eta = hp.eps, self.alpha_t, hp.amsgrad, -hp.eta
        bounds = self.bounds if hp.adabound else None
        decay = 1.0 - hp.eta * hp.weight_decay_rate
        state = self.state
        arrays = (data, grad, state["m"], state["v"]) + ((state["vhat"],) if amsgrad else ())
        for p, g, m, v, *rest in blocks(*arrays):
            buf = scratch(g)
            numpy.subtract(g, m, out=buf)
            buf *= one_minus_beta1
            m += buf
            numpy.multiply(g, g, out=buf)
            buf -= v
            buf *= one_minus_beta2
            v += buf
            if amsgrad:
                vhat = rest[0]
                numpy.maximum(vhat, v, out=vhat)
            else:
                vhat = v
            numpy.sqrt(vhat, out=buf)
            buf += eps
            numpy.divide(alpha_t, buf, out=buf)
            if bounds is not None:
                numpy.clip(buf, bounds[0], bounds[1], out=buf)
            buf *= m
            if decay != 1:
                p *= decay
            buf *= neg_eta
            p += buf

    def _update_half(self, param: Any) -> None:
        # float16 parameters (without fp32 update): moments stay float16, math in float32
        hp = self.hyperparam
        self._check_eps(numpy.dtype(numpy.float32))
        grad = param.grad.astype(numpy.float32)
        m, v = self.state["m"], self.state["v"]
        m += (1.0 - hp.beta1) * (grad - m)
        v += (1.0 - hp.beta2) * (grad * grad - v)
        if hp.amsgrad:
            vhat = self.state["vhat"]
            numpy.maximum(vhat, v, out=vhat)
        else:
            vhat = v
        step = self.alpha_t / (numpy.sqrt(vhat.astype(numpy.float32)) + hp.eps)
        if hp.adabound:
            step = numpy.clip(step, *self.bounds)
        data = param._data
        decay = 1.0 - hp.eta * hp.weight_decay_rate
        if decay == 1:
            data += -hp.eta * (step * m)
        else:
            data[...] = decay * data + -hp.eta * (step * m)

    def update_core_gpu(self, param: Any) -> None:
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        dtype = numpy.dtype(numpy.float32 if grad.dtype == numpy.float16 else grad.dtype)
        self._check_eps(dtype)
        lower, upper = self.bounds if hp.adabound else (0.0, numpy.inf)
        t = dtype.type
        args = [grad, t(self.alpha_t), t(1 - hp.beta1), t(1 - hp.beta2), t(lower), t(upper),
                t(hp.eps), t(hp.eta), t(hp.weight_decay_rate), param._data, self.state["m"],
                self.state["v"]]
        if hp.amsgrad:
            args.append(self.state["vhat"])
        _kernel(bool(hp.amsgrad))(*args)


class Adam(optimizer.GradientMethod):
    """Adam (Kingma & Ba, https://arxiv.org/abs/1412.6980v8) with its common variants.

    ``weight_decay_rate`` applies decoupled weight decay (AdamW,
    https://openreview.net/forum?id=rk6qdGgCZ); ``eta`` scales the whole step (for
    schedules); ``amsgrad`` keeps the running maximum of ``v`` (AMSGrad,
    https://openreview.net/forum?id=ryQu7f-RZ); ``adabound`` clips the per-element step
    into bounds converging to ``final_lr`` (AdaBound,
    https://openreview.net/forum?id=Bkg3g2R9FX); both together give AMSBound.

    Args:
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment, in ``[0, 1)``.
        beta2: Exponential decay rate of the second moment, in ``[0, 1)``.
        eps: Small value for numerical stability.
        eta: Schedule multiplier.
        weight_decay_rate: Decoupled weight decay rate.
        amsgrad: Use AMSGrad.
        adabound: Use AdaBound.
        final_lr: AdaBound's final (SGD) learning rate.
        gamma: AdaBound's convergence speed of the bounds.

    Raises:
        ValueError: An out-of-range hyperparameter.

    Example:
        >>> from kusari import optimizers, links
        >>> opt = optimizers.Adam(alpha=0.01).setup(links.Linear(2, 2))
        >>> opt.t = 1
        >>> round(opt.alpha_t, 6)  # 0.01 * sqrt(1 - 0.999) / (1 - 0.9)
        0.003162
    """

    alpha = optimizer.HyperparameterProxy("alpha")
    beta1 = optimizer.HyperparameterProxy("beta1")
    beta2 = optimizer.HyperparameterProxy("beta2")
    eps = optimizer.HyperparameterProxy("eps")
    eta = optimizer.HyperparameterProxy("eta")
    weight_decay_rate = optimizer.HyperparameterProxy("weight_decay_rate")
    amsgrad = optimizer.HyperparameterProxy("amsgrad")
    adabound = optimizer.HyperparameterProxy("adabound")
    final_lr = optimizer.HyperparameterProxy("final_lr")
    gamma = optimizer.HyperparameterProxy("gamma")

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate,
                 amsgrad: bool = _default_hyperparam.amsgrad,
                 adabound: bool = _default_hyperparam.adabound,
                 final_lr: float = _default_hyperparam.final_lr,
                 gamma: float = _default_hyperparam.gamma) -> None:
        name = type(self).__name__
        check_nonneg(name, alpha=alpha, eps=eps, eta=eta, weight_decay_rate=weight_decay_rate,
                      final_lr=final_lr, gamma=gamma)
        check_unit(name, beta1=beta1, beta2=beta2)
        super().__init__()
        hp = self.hyperparam
        hp.alpha, hp.beta1, hp.beta2, hp.eps, hp.eta = alpha, beta1, beta2, eps, eta
        hp.weight_decay_rate, hp.amsgrad, hp.adabound = weight_decay_rate, amsgrad, adabound
        hp.final_lr, hp.gamma = final_lr, gamma

    def create_update_rule(self) -> AdamRule:
        return AdamRule(self.hyperparam)

    @property
    def alpha_t(self) -> float:
        """The bias-corrected learning rate at the optimizer's step ``t``.

        Raises:
            RuntimeError: ``t`` is 0.
        """
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self) -> float:
        """Deprecated alias of :attr:`alpha_t` (warns, as Chainer 6+)."""
        warnings.warn("Adam.lr has been renamed to AdamRule.alpha_t. Use of Adam.lr is "
                      "deprecated in Chainer v6.", DeprecationWarning, stacklevel=2)
        return self.alpha_t


class AdamW(Adam):
    """Adam with decoupled weight decay (https://openreview.net/forum?id=rk6qdGgCZ).

    Args:
        alpha, beta1, beta2, eps, eta, weight_decay_rate: As in :class:`Adam`.
    """

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 eps: float = _default_hyperparam.eps, eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate) -> None:
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         weight_decay_rate=weight_decay_rate)


class AMSGrad(Adam):
    """Adam keeping the running maximum of the second moment (AMSGrad).

    Args:
        alpha, beta1, beta2, eps, eta: As in :class:`Adam`.
    """

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta) -> None:
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         amsgrad=True)


class AdaBound(Adam):
    """Adam with the step clipped into bounds that converge to ``final_lr`` (AdaBound).

    Args:
        alpha, beta1, beta2, final_lr, gamma, eps, eta: As in :class:`Adam`.
    """

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 final_lr: float = _default_hyperparam.final_lr,
                 gamma: float = _default_hyperparam.gamma,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta) -> None:
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         adabound=True, final_lr=final_lr, gamma=gamma)


class AMSBound(Adam):
    """AdaBound with AMSGrad's running maximum (AMSBound).

    Args:
        alpha, beta1, beta2, final_lr, gamma, eps, eta: As in :class:`Adam`.
    """

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 final_lr: float = _default_hyperparam.final_lr,
                 gamma: float = _default_hyperparam.gamma,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta) -> None:
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         amsgrad=True, adabound=True, final_lr=final_lr, gamma=gamma)
