"""Negative sampling loss layer."""

from __future__ import annotations

from typing import Any

import numpy

import kusari
from kusari import variable
from kusari.functions.loss.negative_sampling import negative_sampling
from kusari.link import Link
from kusari.utils import WalkerAlias


class NegativeSampling(Link):
    """Negative sampling loss (word2vec): a weight matrix and a unigram sampler.

    Negative examples are drawn from the word distribution raised to ``power``.

    Args:
        in_size: Dimension of the input vectors.
        counts: Frequency of each identifier.
        sample_size: Number of negative samples per example.
        power: Power applied to the counts before sampling.
        dtype: Dtype of the weight (``config.dtype`` by default).

    Attributes:
        W: Weight of shape ``(len(counts), in_size)``, initialized to zero.
        sampler: The :class:`~kusari.utils.WalkerAlias` sampler.

    Example:
        >>> import numpy
        >>> ns = NegativeSampling(3, [5, 3, 2], 2)
        >>> x = numpy.ones((4, 3), numpy.float32)
        >>> t = numpy.array([0, 1, 2, 0], numpy.int32)
        >>> ns(x, t).shape
        ()
    """

    def __init__(self, in_size: int, counts: Any, sample_size: int, power: float = 0.75,
                 dtype: Any = None) -> None:
        super().__init__()
        dtype = kusari.get_dtype(dtype)
        if sample_size <= 0:
            raise ValueError(f"NegativeSampling: sample_size must be positive, got {sample_size}")
        p = numpy.array(counts, dtype)
        if p.ndim != 1 or p.size == 0:
            raise ValueError("NegativeSampling: counts must be a non-empty 1-d sequence")
        numpy.power(p, dtype.type(power), p)
        self.sample_size = sample_size
        self.sampler = WalkerAlias(p)
        with self.init_scope():
            self.W = variable.Parameter(0, (len(counts), in_size))
            if self.W.dtype != dtype:
                self.W.array = self.W.array.astype(dtype)

    def _device_to(self, device: Any) -> None:
        super()._device_to(device)
        self.sampler.to_device(device)

    def forward(self, x: Any, t: Any, reduce: str = "sum", **kwargs: Any) -> Any:
        """The loss for inputs ``x`` and true labels ``t``.

        Args:
            x: Inputs of shape ``(batch, in_size)``.
            t: Labels of shape ``(batch,)``.
            reduce: ``'sum'`` or ``'no'``.
            return_samples: Also return the ``(batch, sample_size + 1)`` samples.

        Returns:
            The loss, or ``(loss, samples)`` with ``return_samples=True``.
        """
        return negative_sampling(x, t, self.W, self.sampler.sample, self.sample_size,
                                 reduce=reduce, **kwargs)
