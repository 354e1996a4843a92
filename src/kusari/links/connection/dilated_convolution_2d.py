"""Two-dimensional dilated convolution layer."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Link
from kusari.links.connection._util import pair


class DilatedConvolution2D(Link):
    """2-D dilated convolution layer, weight ``(out, in, kh, kw)`` and bias ``b``.

    Args:
        in_channels: Input channels, or None (also by giving only ``out, ksize``).
        out_channels: Output channels.
        ksize: Kernel size.
        stride: Stride.
        pad: Zero padding.
        dilate: Dilation factor.
        nobias: No bias when True.
        initialW: Weight initializer.
        initial_bias: Bias initializer (None: zeros).

    Example:
        >>> import numpy
        >>> DilatedConvolution2D(1, 1, 3, dilate=2)(
        ...     numpy.zeros((1, 1, 7, 7), numpy.float32)).shape
        (1, 1, 3, 3)
    """

    def __init__(self, in_channels: int | None, out_channels: Any, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, dilate: Any = 1, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:
        super().__init__()
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self.ksize = ksize
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.dilate = pair(dilate)
        self.in_channels = in_channels
        self.out_channels = out_channels
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_params(in_channels)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            out_channels)

    def _initialize_params(self, in_channels: int) -> None:
        self.in_channels = in_channels
        self.W.initialize((self.out_channels, in_channels) + pair(self.ksize))

    def forward(self, x: Any) -> variable.Variable:
        """Apply the dilated convolution to ``x`` of shape ``(N, C, H, W)``."""
        from kusari.functions.connection.dilated_convolution_2d import dilated_convolution_2d

        if self.W._data is None:
            self._initialize_params(x.shape[1])
        return dilated_convolution_2d(x, self.W, self.b, self.stride, self.pad, self.dilate)
