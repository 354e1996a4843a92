"""N-dimensional deconvolution layers (DeconvolutionND, Deconvolution1D, Deconvolution3D)."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Link
from kusari.links.connection._util import as_tuple, check_groups


class DeconvolutionND(Link):
    """N-D deconvolution layer with weight ``(in, out / groups, k_1, ..., k_N)`` and bias.

    Args:
        ndim: Number of spatial dimensions.
        in_channels: Input channels, or None (also by omitting it: three positionals
            ``ndim, out_channels, ksize``).
        out_channels: Output channels.
        ksize: Kernel size.
        stride: Stride.
        pad: Padding removed from the output.
        nobias: No bias when True.
        outsize: Output spatial size, or None.
        initialW: Weight initializer.
        initial_bias: Bias initializer (None: zeros).
        dilate: Dilation factor.
        groups: Number of channel groups.

    Example:
        >>> import numpy
        >>> DeconvolutionND(1, 2, 3, 3)(numpy.zeros((1, 2, 4), numpy.float32)).shape
        (1, 3, 6)
    """

    def __init__(self, ndim: int, in_channels: int | None, out_channels: Any,
                 ksize: Any = None, stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 outsize: Any = None, initialW: Any = None, initial_bias: Any = None,
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
        self.outsize = outsize
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
        self.W.initialize((in_channels, self.out_channels // self.groups) + self.ksize)

    def printable_specs(self) -> Any:
        for name in ("ndim", "in_channels", "out_channels", "ksize", "stride", "pad",
                     "outsize", "dilate", "groups"):
            yield name, getattr(self, name)
        yield "nobias", self.b is None

    def forward(self, x: Any) -> variable.Variable:
        """Apply the deconvolution to ``x`` of shape ``(N, C, d_1, ..., d_N)``."""
        from kusari.functions.connection.deconvolution_nd import deconvolution_nd

        if self.W._data is None:
            self._initialize_params(x.shape[1])
        return deconvolution_nd(x, self.W, b=self.b, stride=self.stride, pad=self.pad,
                                outsize=self.outsize, dilate=self.dilate, groups=self.groups)


class Deconvolution1D(DeconvolutionND):
    """1-D deconvolution layer (:class:`DeconvolutionND` with ``ndim=1``)."""

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, outsize: Any = None,
                 initialW: Any = None, initial_bias: Any = None, dilate: Any = 1,
                 groups: int = 1) -> None:
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)


class Deconvolution3D(DeconvolutionND):
    """3-D deconvolution layer (:class:`DeconvolutionND` with ``ndim=3``)."""

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, outsize: Any = None,
                 initialW: Any = None, initial_bias: Any = None, dilate: Any = 1,
                 groups: int = 1) -> None:
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)
