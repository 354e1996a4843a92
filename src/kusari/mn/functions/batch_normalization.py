"""Batch normalization with statistics over the batches of all processes."""

from __future__ import annotations

from typing import Any

from kusari import backend, variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check


def _channel_axes(x: Any, gamma: Any) -> tuple[tuple[int, ...], tuple]:
    """Axes reduced over (batch and the ones after the channels) and the broadcast shape."""
    head = 1 + gamma.ndim
    axes = (0,) + tuple(range(head, x.ndim))
    shape = (1,) + gamma.shape + (1,) * (x.ndim - head)
    return axes, shape


class MultiNodeBatchNormalizationFunction(FunctionNode):
    """Normalizes ``x`` by the mean and variance over the union of all processes' batches.

    Forward takes two allreduces of per-channel sums (the mean, then the squared
    deviations, for accuracy); backward one (the sums of ``gy`` and ``gy * x_hat``).
    ``running_mean``/``running_var`` are updated in place with the global statistics
    (unbiased variance, ``N / (N - 1)`` with ``N`` the global count). Double backprop is
    not supported.
    """

    _fast_check = staticmethod(_fast_check.float_inputs)

    def __init__(self, comm: Any, eps: float = 2e-5, running_mean: Any = None,
                 running_var: Any = None, decay: float = 0.9) -> None:
        self.comm = comm
        self.eps = eps
        self.running_mean = running_mean
        self.running_var = running_var
        self.decay = decay

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "gamma", "beta"))
        x_type, gamma_type, beta_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            x_type.ndim >= gamma_type.ndim + 1,
            gamma_type.dtype.kind == "f",
            gamma_type.dtype == beta_type.dtype,
            gamma_type.shape == beta_type.shape,
        )

    def _allreduce(self, a: Any) -> Any:
        return self.comm.allreduce(a) if self.comm.size > 1 else a

    def forward(self, inputs: tuple) -> tuple:
        x, gamma, beta = inputs
        xp = backend.get_array_module(x)
        axes, shape = _channel_axes(x, gamma)
        dt = gamma.dtype
        local_n = x.size // max(gamma.size, 1)
        counts = xp.asarray([local_n], dtype=dt)
        first = self._allreduce(xp.concatenate([x.sum(axis=axes, dtype=dt).reshape(-1),
                                                counts]))
        n = float(first[-1])
        mean = (first[:-1] / dt.type(n)).reshape(gamma.shape)
        d = x - mean.reshape(shape).astype(x.dtype, copy=False)
        var = self._allreduce(xp.square(d).sum(axis=axes, dtype=dt)) / dt.type(n)
        inv_std = 1 / xp.sqrt(var + dt.type(self.eps))
        x_hat = d * inv_std.reshape(shape).astype(x.dtype, copy=False)
        y = x_hat * gamma.reshape(shape) + beta.reshape(shape)
        if self.running_mean is not None:
            decay = self.decay
            adjust = n / max(n - 1.0, 1.0)
            self.running_mean *= decay
            self.running_mean += (1 - decay) * mean
            self.running_var *= decay
            self.running_var += (1 - decay) * adjust * var
        self.x_hat, self.inv_std, self.gamma, self.n = x_hat, inv_std, gamma, n
        self.mean, self.var = mean, var
        return force_array(y.astype(x.dtype, copy=False)),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy = grad_outputs[0].array
        x_hat, gamma = self.x_hat, self.gamma
        xp = backend.get_array_module(gy)
        axes, shape = _channel_axes(gy, gamma)
        dt = gamma.dtype
        local = xp.concatenate([gy.sum(axis=axes, dtype=dt).reshape(-1),
                                (gy * x_hat).sum(axis=axes, dtype=dt).reshape(-1)])
        total = self._allreduce(local)
        k = gamma.size
        gbeta_all = total[:k].reshape(gamma.shape)
        ggamma_all = total[k:].reshape(gamma.shape)
        scale = (gamma * self.inv_std).reshape(shape)
        gx = scale * (gy - (x_hat * ggamma_all.reshape(shape) + gbeta_all.reshape(shape))
                      / dt.type(self.n))
        size = self.comm.size
        # the mean over processes of the global sums, as ChainerMN: the multi-node
        # optimizer's gradient averaging then leaves them unchanged
        ggamma = ggamma_all / dt.type(size)
        gbeta = gbeta_all / dt.type(size)
        new = variable.Variable._new
        return (new(force_array(gx.astype(gy.dtype, copy=False)), False),
                new(force_array(ggamma), False), new(force_array(gbeta), False))


def multi_node_batch_normalization(x: Any, gamma: Any, beta: Any, comm: Any,
                                   eps: float = 2e-5, running_mean: Any = None,
                                   running_var: Any = None, decay: float = 0.9
                                   ) -> variable.Variable:
    """Batch normalization over the union of all processes' batches.

    :math:`y = \\gamma (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon} + \\beta` with
    :math:`\\mu, \\sigma^2` the per-channel mean and (biased) variance over every
    process's batch; channels are axis 1 onward, as in ``F.batch_normalization``.

    Args:
        x: Input of shape ``(B, C, ...)``.
        gamma: Scale, shape ``(C, ...)``.
        beta: Shift, shape of gamma.
        comm: A kusari.mn communicator (every process must call this together).
        eps: Added to the variance.
        running_mean: Array updated in place with the global mean (optional).
        running_var: Array updated in place with the unbiased global variance.
        decay: Decay of the running averages.

    Returns:
        The normalized Variable.
    """
    return MultiNodeBatchNormalizationFunction(comm, eps, running_mean, running_var,
                                               decay).apply((x, gamma, beta))[0]
