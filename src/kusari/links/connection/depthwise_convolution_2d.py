"""Two-dimensional depthwise convolution layer."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import initializers, variable
from kusari.link import Link
from kusari.links.connection._util import pair


class DepthwiseConvolution2D(Link):
    """Depthwise 2-D convolution: each input channel gets ``channel_multiplier`` filters.

    Weight ``W`` is ``(channel_multiplier, in_channels, kh, kw)``; the bias has
    ``channel_multiplier * in_channels`` elements.

    Args:
        in_channels: Input channels, or None to infer them.
        channel_multiplier: Filters per input channel.
        ksize: Kernel size.
        stride: Stride.
        pad: Zero padding.
        nobias: No bias when True.
        initialW: Weight initializer (None: ``HeNormal(1 / sqrt(2))``).
        initial_bias: Bias initializer (None: zeros).

    Example:
        >>> import numpy
        >>> DepthwiseConvolution2D(3, 2, 3)(numpy.zeros((1, 3, 5, 5), numpy.float32)).shape
        (1, 6, 3, 3)
    """

    def __init__(self, in_channels: int | None, channel_multiplier: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, initialW: Any = None,
                 initial_bias: Any = None) -> None:
        super().__init__()
        self.ksize = ksize
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.channel_multiplier = channel_multiplier
        self.nobias = nobias
        if initialW is None:
            initialW = initializers.HeNormal(1.0 / numpy.sqrt(2))
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = initializers.Constant(0)
                self.b = variable.Parameter(initializers._get_initializer(initial_bias))
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels: int) -> None:
        self.W.initialize((self.channel_multiplier, in_channels) + pair(self.ksize))
        if self.b is not None:
            self.b.initialize(self.channel_multiplier * in_channels)

    def forward(self, x: Any) -> variable.Variable:
        """Apply the depthwise convolution to ``x`` of shape ``(N, C, H, W)``."""
        from kusari.functions.connection.depthwise_convolution_2d import (
            depthwise_convolution_2d,
        )

        if self.W._data is None:
            self._initialize_params(x.shape[1])
        return depthwise_convolution_2d(x, self.W, self.b, self.stride, self.pad)
