"""N-dimensional convolution layers (ConvolutionND, Convolution1D, Convolution3D)."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Link
from kusari.links.connection._util import as_tuple, check_groups


class ConvolutionND(Link):
    """N-D convolution layer with weight ``(out, in / groups, k_1, ..., k_N)`` and bias.

    ``ConvolutionND(ndim, out_channels, ksize)`` or ``in_channels=None`` infers the
    input channels from the first input.

    Args:
        ndim: Number of spatial dimensions.
        in_channels: Input channels, or None.
        out_channels: Output channels.
        ksize: Kernel size (int or ``ndim``-tuple).
        stride: Stride.
        pad: Zero padding.
        nobias: No bias when True.
        initialW: Weight initializer.
        initial_bias: Bias initializer (None: zeros).
        cover_all: Cover every input pixel with windows (extra output positions).
        dilate: Dilation factor.
        groups: Number of channel groups.

    Example:
        >>> import numpy
        >>> ConvolutionND(3, 2, 4, 3)(numpy.zeros((1, 2, 5, 5, 5), numpy.float32)).shape
        (1, 4, 3, 3, 3)
    """

    def __init__(self, ndim: int, in_channels: int | None, out_channels: Any,
                 ksize: Any = None, stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None, cover_all: bool = False,
                 dilate: Any = 1, groups: int = 1) -> None:
        super().__init__()
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self.ndim = ndim
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.ksize = as_tuple(ksize, ndim)
        self.stride = stride
        self.pad = pad
        self.cover_all = cover_all
        self.dilate = as_tuple(dilate, ndim)
        self.groups = int(groups)
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
        check_groups(in_channels, self.out_channels, self.groups)
        self.in_channels = in_channels
        self.W.initialize((self.out_channels, in_channels // self.groups) + self.ksize)

    def printable_specs(self) -> Any:
        for name in ("ndim", "in_channels", "out_channels", "ksize", "stride", "pad",
                     "cover_all", "dilate", "groups"):
            yield name, getattr(self, name)
        yield "nobias", self.b is None

    def forward(self, x: Any) -> variable.Variable:
        """Apply the convolution to ``x`` of shape ``(N, C, d_1, ..., d_N)``."""
        from kusari.functions.connection.convolution_nd import convolution_nd

        if self.W._data is None:
            self._initialize_params(x.shape[1])
        return convolution_nd(x, self.W, self.b, self.stride, self.pad,
                              cover_all=self.cover_all, dilate=self.dilate, groups=self.groups)


class Convolution1D(ConvolutionND):
    """1-D convolution layer (:class:`ConvolutionND` with ``ndim=1``)."""

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, initialW: Any = None,
                 initial_bias: Any = None, cover_all: bool = False, dilate: Any = 1,
                 groups: int = 1) -> None:
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)


class Convolution3D(ConvolutionND):
    """3-D convolution layer (:class:`ConvolutionND` with ``ndim=3``)."""

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, initialW: Any = None,
                 initial_bias: Any = None, cover_all: bool = False, dilate: Any = 1,
                 groups: int = 1) -> None:
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)
