"""Decorrelated batch normalization layer."""

from __future__ import annotations

import warnings
from typing import Any

import numpy

from kusari import backend, variable
from kusari import functions as F
from kusari import serializer as serializer_mod
from kusari.configuration import config
from kusari.link import Link


class DecorrelatedBatchNormalization(Link):
    """Decorrelated (ZCA-whitening) batch normalization (Huang et al., 2018).

    The ``size`` channels are split into ``groups`` groups of ``C = size // groups``
    channels, each whitened separately. In training (``config.train``) the batch
    statistics are used (:func:`~kusari.functions.decorrelated_batch_normalization`)
    and update the running averages ``avg_mean`` ``(groups, C)`` and ``avg_projection``
    ``(groups, C, C)`` with ``decay`` (with ``finetune=True``, the plain average over
    the ``N`` batches seen since :meth:`start_finetuning`). In test mode
    :func:`~kusari.functions.fixed_decorrelated_batch_normalization` uses them.
    ``avg_mean``, ``avg_projection`` and ``N`` are persistent; statistics saved by old
    Chainer versions (one shared group: 1-d / 2-d arrays) are broadcast to all groups
    on loading, with a warning when ``groups > 1``.

    Args:
        size: Number of channels (axis 1 of the input).
        groups: Number of channel groups.
        decay: Decay rate of the moving averages.
        eps: Added to the covariance's diagonal.
        dtype: Dtype of the statistics.

    Attributes:
        avg_mean: Population mean ``(groups, C)``, zeros at first.
        avg_projection: Population whitening matrices ``(groups, C, C)``, identity at
            first.
        N: Number of batches seen in fine-tuning.

    Example:
        >>> import numpy
        >>> dbn = DecorrelatedBatchNormalization(4, groups=2)
        >>> x = numpy.random.RandomState(0).randn(16, 4).astype(numpy.float32)
        >>> dbn(x).shape, dbn.avg_projection.shape
        ((16, 4), (2, 2, 2))
        >>> sorted(dbn._persistent)
        ['N', 'avg_mean', 'avg_projection']
    """

    def __init__(self, size: int, groups: int = 16, decay: float = 0.9, eps: float = 2e-5,
                 dtype: Any = numpy.float32) -> None:
        super().__init__()
        C = size // groups
        self.avg_mean = numpy.zeros((groups, C), dtype=dtype)
        self.register_persistent("avg_mean")
        self.avg_projection = numpy.zeros((groups, C, C), dtype=dtype)
        self.avg_projection[:, numpy.arange(C), numpy.arange(C)] = 1
        self.register_persistent("avg_projection")
        self.N = 0
        self.register_persistent("N")
        self.decay = decay
        self.eps = eps
        self.groups = groups

    def serialize(self, serializer: Any) -> None:
        """Save or load the statistics; old single-group statistics are broadcast."""
        if isinstance(serializer, serializer_mod.Deserializer):
            serializer = _OldStatsDeserializer(serializer, self.groups)
        super().serialize(serializer)

    def forward(self, x: Any, **kwargs: Any) -> variable.Variable:
        """Normalize ``x`` ``(B, size, ...)``.

        Args:
            x: Input batch.
            finetune: (keyword) Average the statistics over the batches seen since
                :meth:`start_finetuning` instead of decaying.

        Returns:
            The normalized Variable, ``x``'s shape.

        Raises:
            TypeError: An unexpected keyword argument.
        """
        finetune = kwargs.pop("finetune", False)
        if kwargs:
            raise TypeError("forward() got unexpected keyword argument(s) "
                            + ", ".join(map(repr, kwargs)))
        if not config.train:
            return F.fixed_decorrelated_batch_normalization(
                x, self.avg_mean, self.avg_projection, groups=self.groups)
        if finetune:
            self.N += 1
            decay = 1.0 - 1.0 / self.N
        else:
            decay = self.decay
        avg_mean, avg_projection = self.avg_mean, self.avg_projection
        if getattr(config, "in_recomputing", False):
            # a recomputation (e.g. F.forget) must not update the statistics twice
            if finetune:
                self.N -= 1
            avg_mean = avg_projection = None
        return F.decorrelated_batch_normalization(
            x, groups=self.groups, eps=self.eps, running_mean=avg_mean,
            running_projection=avg_projection, decay=decay)

    def start_finetuning(self) -> None:
        """Reset ``N`` so that finetuning averages from the next batch on."""
        self.N = 0


def _upgrade_stats(arr: Any, groups: int, ndim: int) -> Any:
    """Statistics of old Chainer (Issue #7706: one set for all groups) broadcast to
    ``groups``; current ones (``ndim`` axes) unchanged."""
    if arr is None or arr.ndim == ndim:
        return arr
    if arr.ndim == ndim - 1:
        if groups != 1:
            warnings.warn("Found moving statistics of old DecorrelatedBatchNormalization, "
                          "whose algorithm was different from the paper.", stacklevel=4)
        return numpy.broadcast_to(arr, (groups,) + arr.shape)
    raise ValueError(f"unexpected shape of the statistics: {arr.shape}")


class _OldStatsDeserializer(serializer_mod.Deserializer):
    """Wraps a deserializer to upgrade ``avg_mean`` / ``avg_projection`` on loading."""

    _NDIM = {"avg_mean": 2, "avg_projection": 3}

    def __init__(self, base: Any, groups: int) -> None:
        self.base = base
        self.groups = groups

    def __getitem__(self, key: str) -> Any:
        return self.base[key]

    def __call__(self, key: str, value: Any) -> Any:
        if key not in self._NDIM:
            return self.base(key, value)
        loaded = self.base(key, None)
        if loaded is None:  # absent in a non-strict load: keep the current value
            return value
        loaded = _upgrade_stats(loaded, self.groups, self._NDIM[key])
        if value is None:
            return loaded
        backend.copyto(value, loaded)
        return value
