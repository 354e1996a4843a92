"""MultiNodeBatchNormalization: batch normalization with statistics of the global batch."""

from __future__ import annotations

import copy
from typing import Any

import numpy

from kusari import backend, configuration, initializers, link, variable
from kusari.mn.functions.batch_normalization import MultiNodeBatchNormalizationFunction


def _fixed_bn(x: Any, gamma: Any, beta: Any, mean: Any, var: Any, eps: float) -> Any:
    """Normalization by given statistics, composed of differentiable functions."""
    from kusari import functions as F

    xv = variable.as_variable(x)
    arr = xv.array
    xp = backend.get_array_module(arr)
    shape = (1,) + tuple(mean.shape) + (1,) * (arr.ndim - 1 - mean.ndim)
    dt = arr.dtype
    scale = xp.broadcast_to((1 / xp.sqrt(var + eps)).astype(dt).reshape(shape), arr.shape)
    shift = xp.broadcast_to(mean.astype(dt).reshape(shape), arr.shape)
    g = F.broadcast_to(F.reshape(gamma, shape), arr.shape)
    b = F.broadcast_to(F.reshape(beta, shape), arr.shape)
    return g * ((xv - shift) * scale) + b


class MultiNodeBatchNormalization(link.Link):
    """Batch normalization whose batch statistics cover every process's batch.

    With small per-process batches, plain BatchNormalization sees noisy statistics; this
    link allreduces the per-channel sums so each process normalizes by the mean and
    variance of the whole global batch (and backpropagates through them). In test mode
    (``config.train`` False) it uses the running averages, like BatchNormalization.

    Args:
        size: Channel size (int or tuple).
        comm: A kusari.mn communicator.
        decay: Decay of the running averages.
        eps: Added to the variance.
        dtype: Dtype of the parameters and statistics (``config.dtype`` by default).
        use_gamma: Learn a scale.
        use_beta: Learn a shift.
        initial_gamma: Initializer of gamma (1 by default).
        initial_beta: Initializer of beta (0 by default).
        communication_backend: ``'mpi'``, ``'nccl'`` or ``'auto'``; accepted for
            ChainerMN scripts, statistics always go through the communicator's
            ``allreduce``.

    Example:
        >>> import numpy
        >>> from kusari.mn.links import MultiNodeBatchNormalization
        >>> class One:  # a stand-in communicator of one process
        ...     size = 1
        >>> bn = MultiNodeBatchNormalization(3, One())
        >>> y = bn(numpy.arange(12, dtype=numpy.float32).reshape(4, 3))
        >>> [round(float(v), 3) for v in y.array[:, 0]]
        [-1.342, -0.447, 0.447, 1.342]
    """

    def __init__(self, size: Any, comm: Any, decay: float = 0.9, eps: float = 2e-5,
                 dtype: Any = None, use_gamma: bool = True, use_beta: bool = True,
                 initial_gamma: Any = None, initial_beta: Any = None,
                 communication_backend: str = "auto") -> None:
        super().__init__()
        if communication_backend not in ("mpi", "nccl", "auto"):
            raise ValueError("communication_backend must be 'mpi', 'nccl' or 'auto', got "
                             f"{communication_backend!r}")
        dtype = numpy.dtype(configuration.config.dtype if dtype is None else dtype)
        if dtype == numpy.float16:
            dtype = numpy.dtype(numpy.float32)  # statistics in float32 for half models
        self._highprec_dtype = dtype
        self.comm = comm
        self.avg_mean = numpy.zeros(size, dtype=dtype)
        self.register_persistent("avg_mean")
        self.avg_var = numpy.zeros(size, dtype=dtype)
        self.register_persistent("avg_var")
        self.N = 0
        self.register_persistent("N")
        self.decay = decay
        self.eps = eps
        with self.init_scope():
            if use_gamma:
                init = initializers._get_initializer(1 if initial_gamma is None
                                                     else initial_gamma)
                init.dtype = dtype
                self.gamma = variable.Parameter(init, size)
            if use_beta:
                init = initializers._get_initializer(0 if initial_beta is None
                                                     else initial_beta)
                init.dtype = dtype
                self.beta = variable.Parameter(init, size)

    def forward(self, x: Any, finetune: bool = False) -> variable.Variable:
        """Normalize ``x`` (statistics of the global batch in training mode).

        Args:
            x: Input of shape ``(B, *size, ...)``.
            finetune: Accumulate population statistics (running averages with decay
                ``1 - 1/N``) instead of exponential ones.
        """
        xp = self.xp
        gamma = getattr(self, "gamma", None)
        if gamma is None:
            gamma = variable.Variable(xp.ones(self.avg_mean.shape, self._highprec_dtype))
        beta = getattr(self, "beta", None)
        if beta is None:
            beta = variable.Variable(xp.zeros(self.avg_mean.shape, self._highprec_dtype))
        if configuration.config.train:
            if finetune:
                self.N += 1
                decay = 1.0 - 1.0 / self.N
            else:
                decay = self.decay
            func = MultiNodeBatchNormalizationFunction(self.comm, self.eps, self.avg_mean,
                                                       self.avg_var, decay)
            return func.apply((x, gamma, beta))[0]
        return _fixed_bn(x, gamma, beta, self.avg_mean, self.avg_var, self.eps)

    def start_finetuning(self) -> None:
        """Reset the count of the population statistics (before fine-tuning again)."""
        self.N = 0

    def __deepcopy__(self, memo: dict) -> MultiNodeBatchNormalization:
        # the communicator is shared, not copied
        cls = type(self)
        new = cls.__new__(cls)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            object.__setattr__(new, k, v if k == "comm" else copy.deepcopy(v, memo))
        return new
