"""Two-dimensional convolution layer."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Link
from kusari.links.connection._util import check_groups, conv_kwargs, pair


class Convolution2D(Link):
    """2-D convolution layer with weight ``W`` ``(out, in / groups, kh, kw)`` and bias ``b``.

    ``Convolution2D(out_channels, ksize)`` (two positional arguments) or
    ``in_channels=None`` leaves the input channels to be inferred from the first input;
    the weight is then initialized lazily.

    Args:
        in_channels: Input channels, or None.
        out_channels: Output channels.
        ksize: Kernel size (int or pair).
        stride: Stride (int or pair).
        pad: Zero padding (int or pair).
        nobias: No bias when True.
        initialW: Weight initializer (None: LeCunNormal), scalar or array.
        initial_bias: Bias initializer (None: zeros), scalar or array.
        dilate: (keyword) Dilation factor (int or pair).
        groups: (keyword) Number of channel groups.

    Raises:
        ValueError: Channels not divisible by ``groups``, or the removed
            ``deterministic`` argument.

    Example:
        >>> import numpy
        >>> conv = Convolution2D(8, 3, pad=1)  # in_channels inferred
        >>> conv(numpy.zeros((1, 3, 5, 5), numpy.float32)).shape
        (1, 8, 5, 5)
        >>> conv.W.shape
        (8, 3, 3, 3)
    """

    def __init__(self, in_channels: int | None, out_channels: Any, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, initialW: Any = None,
                 initial_bias: Any = None, **kwargs: Any) -> None:
        super().__init__()
        dilate, groups = conv_kwargs(kwargs, "Convolution2D")
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self.ksize = ksize
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.dilate = pair(dilate)
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
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            out_channels)

    def _initialize_params(self, in_channels: int) -> None:
        check_groups(in_channels, self.out_channels, self.groups)
        self.in_channels = in_channels
        self.W.initialize((self.out_channels, in_channels // self.groups) + pair(self.ksize))

    def printable_specs(self) -> Any:
        for name in ("in_channels", "out_channels", "ksize", "stride", "pad", "dilate",
                     "groups"):
            yield name, getattr(self, name)
        yield "nobias", self.b is None

    def forward(self, x: Any) -> variable.Variable:
        """Apply the convolution to ``x`` of shape ``(N, C, H, W)``."""
        from kusari.functions.connection.convolution_2d import convolution_2d

        if self.W._data is None:
            self._initialize_params(x.shape[1])
        return convolution_2d(x, self.W, self.b, self.stride, self.pad, dilate=self.dilate,
                              groups=self.groups)
