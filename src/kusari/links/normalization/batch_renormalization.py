"""Batch renormalization layer."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.configuration import config
from kusari.links.normalization.batch_normalization import BatchNormalization


class BatchRenormalization(BatchNormalization):
    """Batch renormalization (Ioffe, https://arxiv.org/abs/1702.03275).

    Like :class:`BatchNormalization`, with the batch statistics corrected towards the
    running ones by ``r`` (clipped to ``[1/rmax, rmax]``) and ``d`` (to
    ``[-dmax, dmax]``).

    Args:
        size: Size of the statistics.
        rmax: Bound of the scale correction.
        dmax: Bound of the shift correction.
        decay: Decay rate of the running statistics.
        eps: Added to the variance for stability.
        dtype: Dtype of the parameters and statistics.
        use_gamma: Whether to learn a scale.
        use_beta: Whether to learn a shift.
        initial_gamma: Initializer of the scale.
        initial_beta: Initializer of the shift.
        initial_avg_mean: Initial running mean.
        initial_avg_var: Initial running variance.

    Example:
        >>> import numpy
        >>> BatchRenormalization(3)(numpy.random.rand(4, 3).astype(numpy.float32)).shape
        (4, 3)
    """

    def __init__(self, size: Any, rmax: float = 1, dmax: float = 0, decay: float = 0.9,
                 eps: float = 2e-5, dtype: Any = None, use_gamma: bool = True,
                 use_beta: bool = True, initial_gamma: Any = None, initial_beta: Any = None,
                 initial_avg_mean: Any = None, initial_avg_var: Any = None) -> None:
        super().__init__(size, decay, eps, dtype, use_gamma, use_beta, initial_gamma,
                         initial_beta, initial_avg_mean=initial_avg_mean,
                         initial_avg_var=initial_avg_var)
        self.rmax = rmax
        self.dmax = dmax
        self.r = None
        self.d = None

    def forward(self, x: Any, finetune: bool = False) -> variable.Variable:
        """Renormalize ``x`` (training) or normalize it with the running statistics."""
        xp = self.device.xp
        gamma = self.gamma if self.gamma is not None else \
            xp.ones(self.avg_mean.shape, dtype=x.dtype)
        beta = self.beta if self.beta is not None else \
            xp.zeros(self.avg_mean.shape, dtype=x.dtype)
        if not config.train:
            return F.fixed_batch_normalization(x, gamma, beta, self.avg_mean, self.avg_var,
                                               self.eps)
        if finetune:
            self.N += 1
            decay = 1.0 - 1.0 / self.N
        else:
            decay = self.decay
        avg_mean, avg_var = self.avg_mean, self.avg_var
        update_statistics = True
        if getattr(config, "in_recomputing", False):
            if finetune:
                self.N -= 1
            avg_mean, avg_var = self._prev_avg_mean, self._prev_avg_var
            update_statistics = False
        elif getattr(config, "_will_recompute", False):
            self._prev_avg_mean = avg_mean.copy()
            self._prev_avg_var = avg_var.copy()
        return F.batch_renormalization(x, gamma, beta, self.rmax, self.dmax, self.eps,
                                       avg_mean, avg_var, decay,
                                       update_statistics=update_statistics)
