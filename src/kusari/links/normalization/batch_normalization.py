"""Batch normalization layer."""

from __future__ import annotations

from typing import Any

import numpy

import kusari
from kusari import functions as F
from kusari import initializers, variable
from kusari.configuration import config
from kusari.link import Link


def _parse_finetune(kwargs: dict) -> bool:
    if "test" in kwargs:
        raise ValueError("test argument is not supported anymore. Use "
                         "chainer.using_config")
    finetune = kwargs.pop("finetune", False)
    if kwargs:
        raise TypeError(f"forward() got unexpected keyword argument(s) {', '.join(kwargs)}")
    return finetune


class BatchNormalization(Link):
    """Batch normalization (Ioffe & Szegedy, https://arxiv.org/abs/1502.03167).

    In training (``config.train``) ``x`` is normalized with the batch statistics,
    which update the running averages ``avg_mean`` / ``avg_var`` (an exponential
    moving average with ``decay``; with ``finetune=True`` the plain average over the
    ``N`` batches seen since :meth:`start_finetuning`). In test mode the running
    averages are used. ``avg_mean``, ``avg_var`` and ``N`` are persistent.

    Args:
        size: Shape (or length) of the statistics; None infers it from the first input
            and then ``axis`` is required.
        decay: Decay rate of the moving averages.
        eps: Added to the variance for stability.
        dtype: Dtype of the parameters and statistics (None: ``config.dtype``, with
            float32 for mixed16).
        use_gamma: Learn a scale ``gamma`` (initialized to ones).
        use_beta: Learn a shift ``beta`` (initialized to zeros).
        initial_gamma: Initializer of ``gamma``.
        initial_beta: Initializer of ``beta``.
        axis: Axes reduced over (int or tuple); None means all but axis 1.
        initial_avg_mean: Initializer of ``avg_mean`` (zeros by default).
        initial_avg_var: Initializer of ``avg_var`` (ones by default).

    Raises:
        RuntimeError: Neither ``size`` nor ``axis`` is given.

    Example:
        >>> import numpy
        >>> bn = BatchNormalization(3)
        >>> bn(numpy.random.rand(4, 3).astype(numpy.float32)).shape
        (4, 3)
        >>> sorted(bn._persistent)
        ['N', 'avg_mean', 'avg_var']
    """

    gamma = None
    beta = None

    def __init__(self, size: Any = None, decay: float = 0.9, eps: float = 2e-5,
                 dtype: Any = None, use_gamma: bool = True, use_beta: bool = True,
                 initial_gamma: Any = None, initial_beta: Any = None, axis: Any = None,
                 initial_avg_mean: Any = None, initial_avg_var: Any = None) -> None:
        super().__init__()
        if size is None and axis is None:
            raise RuntimeError("size or axis is required")
        self._initial_avg_mean = initial_avg_mean
        self._initial_avg_var = initial_avg_var
        self.N = 0
        self.register_persistent("N")
        self.decay = decay
        self.eps = eps
        if isinstance(axis, (int, numpy.integer)):
            axis = (int(axis),)
        self.axis = axis
        self._highprec_dtype = _highprec(dtype)
        with self.init_scope():
            if use_gamma:
                init = initializers._get_initializer(1 if initial_gamma is None else
                                                     initial_gamma)
                init.dtype = self._highprec_dtype
                self.gamma = variable.Parameter(init)
            if use_beta:
                init = initializers._get_initializer(0 if initial_beta is None else
                                                     initial_beta)
                init.dtype = self._highprec_dtype
                self.beta = variable.Parameter(init)
        if size is None:
            self.avg_mean = None
            self.avg_var = None
        else:
            self._initialize_params(size)
        self.register_persistent("avg_mean")
        self.register_persistent("avg_var")

    def _initialize_params(self, shape: Any) -> None:
        self.avg_mean = self._init_array(self._initial_avg_mean, 0, shape)
        self._initial_avg_mean = None
        self.avg_var = self._init_array(self._initial_avg_var, 1, shape)
        self._initial_avg_var = None
        if self.gamma is not None:
            self.gamma.initialize(shape)
        if self.beta is not None:
            self.beta.initialize(shape)

    def _init_array(self, initializer: Any, default: Any, shape: Any) -> Any:
        init = initializers._get_initializer(default if initializer is None else initializer)
        host = initializers.generate_array(init, shape, numpy, dtype=self._highprec_dtype)
        return self.device.send(host)

    def printable_specs(self) -> Any:
        if self.avg_mean is not None:
            yield "size", self.avg_mean.shape[0]
        yield "decay", self.decay
        yield "eps", self.eps
        yield "use_gamma", self.gamma is not None
        yield "use_beta", self.beta is not None

    def _gamma_beta(self) -> tuple:
        gamma, beta = self.gamma, self.beta
        xp = self.device.xp
        if gamma is None:
            gamma = xp.ones(self.avg_mean.shape, dtype=self._highprec_dtype)
        if beta is None:
            beta = xp.zeros(self.avg_mean.shape, dtype=self._highprec_dtype)
        return gamma, beta

    def forward(self, x: Any, **kwargs: Any) -> variable.Variable:
        """Normalize ``x``.

        Args:
            x: Input batch.
            finetune: (keyword) Average the statistics over the batches seen since
                :meth:`start_finetuning` instead of decaying.

        Raises:
            ValueError: The removed ``test`` argument.
        """
        finetune = _parse_finetune(kwargs)
        if self.avg_mean is None:
            self._initialize_params(tuple(d for i, d in enumerate(x.shape)
                                          if i not in self.axis))
        gamma, beta = self._gamma_beta()
        if not config.train:
            return F.fixed_batch_normalization(x, gamma, beta, self.avg_mean, self.avg_var,
                                               self.eps, axis=self.axis)
        if finetune:
            self.N += 1
            decay = 1.0 - 1.0 / self.N
        else:
            decay = self.decay
        avg_mean, avg_var = self.avg_mean, self.avg_var
        if getattr(config, "in_recomputing", False):
            if finetune:
                self.N -= 1
            avg_mean = avg_var = None
        return F.batch_normalization(x, gamma, beta, eps=self.eps, running_mean=avg_mean,
                                     running_var=avg_var, decay=decay, axis=self.axis)

    def start_finetuning(self) -> None:
        """Reset ``N`` so that finetuning averages from the next batch on."""
        self.N = 0


def _highprec(dtype: Any) -> numpy.dtype:
    """``dtype`` (None: ``config.dtype``) with float16 and mixed16 mapped to float32."""
    if dtype is None:
        d = config.dtype
        if getattr(d, "name", None) == "mixed16" or str(d) == "mixed16":
            return numpy.dtype(numpy.float32)
    return kusari.get_dtype(dtype)
