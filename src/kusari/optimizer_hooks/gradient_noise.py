"""Annealed Gaussian gradient noise (Neelakantan et al., https://arxiv.org/abs/1511.06807)."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend
from kusari.optimizer_hooks._base import _ParamHook


def exponential_decay_noise(xp: Any, shape: tuple, dtype: Any, hook: Any, opt: Any) -> Any:
    """Noise of standard deviation ``sqrt(eta / (1 + t) ** 0.55)``.

    Args:
        xp: Array module to draw with.
        shape: Shape of the noise.
        dtype: Its dtype.
        hook: The :class:`GradientNoise` hook (gives ``eta``).
        opt: The update rule (or optimizer) whose ``t`` is the step count.
    """
    std = numpy.sqrt(hook.eta / numpy.power(1 + opt.t, 0.55))
    return xp.random.normal(0, std, shape).astype(dtype)


class GradientNoise(_ParamHook):
    """Add ``noise_func(xp, shape, dtype, hook, rule)`` to each gradient.

    Args:
        eta: Noise parameter (variance at ``t = 0``).
        noise_func: The noise generator; :func:`exponential_decay_noise` by default.
            It is given the update rule, whose ``t`` counts its updates.
    """

    name = "GradientNoise"

    def __init__(self, eta: float, noise_func: Any = exponential_decay_noise) -> None:
        self.eta = eta
        self.noise_func = noise_func

    def _apply(self, rule: Any, param: Any) -> None:
        g = param.grad
        if g is None:
            return
        xp = backend.get_array_module(g)
        g += self.noise_func(xp, g.shape, g.dtype, self, rule)
