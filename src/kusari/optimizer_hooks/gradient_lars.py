"""Layer-wise adaptive rate scaling (You et al., https://arxiv.org/abs/1708.03888)."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend
from kusari.optimizer_hooks._base import _ParamHook


class GradientLARS(_ParamHook):
    """Scale each gradient by its layer's trust ratio.

    With ``p`` the parameter and ``g`` its gradient: ``g <- (g + weight_decay * p) * rate``
    where ``rate = ||p|| / (eps + ||g|| + weight_decay * ||p||)`` if
    ``||p|| > threshold``, else 1.

    Args:
        threshold: Below this parameter norm the rate is 1.
        weight_decay: Coefficient of the weight decay added to the gradient.
        eps: Small value for numerical stability.
    """

    name = "GradientLARS"

    def __init__(self, threshold: float = 1e-2, weight_decay: float = 0.0,
                 eps: float = 1e-9) -> None:
        self.threshold = threshold
        self.weight_decay = weight_decay
        self.eps = eps

    def _apply(self, rule: Any, param: Any) -> None:
        p, g = param._data, param.grad
        if p is None or g is None:
            return
        xp = backend.get_array_module(p)
        if xp is numpy:
            # the rate in float64, as Chainer computes it from the float32 norms
            p_norm = float(numpy.linalg.norm(p))
            g_norm = float(numpy.linalg.norm(g))
            rate = 1.0
            if p_norm > self.threshold:
                rate = p_norm / (self.eps + g_norm + self.weight_decay * p_norm)
        else:  # stays on the GPU: no synchronization
            p_norm = xp.linalg.norm(p)
            g_norm = xp.linalg.norm(g)
            local = p_norm / (self.eps + g_norm + self.weight_decay * p_norm)
            rate = xp.where(p_norm > self.threshold, local, 1.0)
        g += self.weight_decay * p
        g *= rate
