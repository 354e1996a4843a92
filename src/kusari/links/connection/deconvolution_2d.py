"""Two-dimensional deconvolution (transposed convolution) layer."""

from __future__ import annotations

from typing import Any

from kusari import backend, initializers, variable
from kusari.link import Link
from kusari.links.connection._util import check_groups, conv_kwargs, pair


class Deconvolution2D(Link):
    """2-D deconvolution layer with weight ``(in, out / groups, kh, kw)`` and bias.

    ``Deconvolution2D(out_channels, ksize)`` or ``in_channels=None`` infers the input
    channels from the first input.

    Args:
        in_channels: Input channels, or None.
        out_channels: Output channels.
        ksize: Kernel size.
        stride: Stride.
        pad: Padding removed from the output.
        nobias: No bias when True.
        outsize: Output spatial size ``(h, w)`` (None: the smallest consistent one).
        initialW: Weight initializer.
        initial_bias: Bias initializer (None: zeros).
        dilate: (keyword) Dilation factor.
        groups: (keyword) Number of channel groups.

    Example:
        >>> import numpy
        >>> Deconvolution2D(3, 2, 4, stride=2, pad=1)(
        ...     numpy.zeros((1, 3, 5, 5), numpy.float32)).shape
        (1, 2, 10, 10)
    """

    def __init__(self, in_channels: int | None, out_channels: Any, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, outsize: Any = None,
                 initialW: Any = None, initial_bias: Any = None, **kwargs: Any) -> None:
        super().__init__()
        dilate, groups = conv_kwargs(kwargs, "Deconvolution2D")
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self.ksize = ksize
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.dilate = pair(dilate)
        self.outsize = (None, None) if outsize is None else outsize
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.groups = int(groups)
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_params(in_channels)
            if nobias:
                self.b = None
            else:
                if isinstance(initial_bias, backend.get_array_types()) and \
                        initial_bias.shape != (out_channels,):
                    raise AssertionError(f"initial_bias must have shape ({out_channels},), "
                                         f"got {initial_bias.shape}")
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            out_channels)

    def _initialize_params(self, in_channels: int) -> None:
        check_groups(in_channels, self.out_channels, self.groups)
        self.in_channels = in_channels
        self.W.initialize((in_channels, self.out_channels // self.groups) + pair(self.ksize))

    def printable_specs(self) -> Any:
        for name in ("in_channels", "out_channels", "ksize", "stride", "pad", "outsize",
                     "dilate", "groups"):
            yield name, getattr(self, name)
        yield "nobias", self.b is None

    def forward(self, x: Any) -> variable.Variable:
        """Apply the deconvolution to ``x`` of shape ``(N, C, H, W)``."""
        from kusari.functions.connection.deconvolution_2d import deconvolution_2d

        if self.W._data is None:
            self._initialize_params(x.shape[1])
        outsize = None if tuple(self.outsize) == (None, None) else self.outsize
        return deconvolution_2d(x, self.W, self.b, self.stride, self.pad, outsize,
                                dilate=self.dilate, groups=self.groups)
