"""BlackOut loss layer."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import initializers, variable
from kusari.functions.loss.black_out import black_out
from kusari.link import Link
from kusari.utils import WalkerAlias


class BlackOut(Link):
    """BlackOut loss: a weighted sampling approximation of softmax over a large vocabulary.

    Args:
        in_size: Dimension of the input vectors.
        counts: Frequency of each identifier (the sampling distribution).
        sample_size: Number of negative samples per example.

    Attributes:
        W: Weight of shape ``(len(counts), in_size)``.
        sample_data: Fixed samples to use instead of drawing (for tests), or None.

    Example:
        >>> import numpy
        >>> bo = BlackOut(3, [5, 3, 2], 2)
        >>> bo(numpy.ones((4, 3), numpy.float32), numpy.zeros(4, numpy.int32)).shape
        ()
    """

    sample_data: Any = None

    def __init__(self, in_size: int, counts: Any, sample_size: int) -> None:
        super().__init__()
        vocab_size = len(counts)
        p = numpy.array(counts, numpy.float32)
        self.sampler = WalkerAlias(p)
        self.sample_size = sample_size
        with self.init_scope():
            self.W = variable.Parameter(initializers.LeCunNormal(), (vocab_size, in_size))

    def _device_to(self, device: Any) -> None:
        super()._device_to(device)
        self.sampler.to_device(device)

    def forward(self, x: Any, t: Any) -> Any:
        """The mean loss for inputs ``x`` of shape ``(batch, in_size)`` and labels ``t``."""
        if self.sample_data is not None:
            samples = self.sample_data
        else:
            samples = self.sampler.sample((x.shape[0], self.sample_size))
        return black_out(x, t, self.W, samples)
