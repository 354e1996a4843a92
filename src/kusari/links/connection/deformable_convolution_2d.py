"""Deformable 2-D convolution: a convolution predicting offsets, then a sampling one."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Chain, Link
from kusari.links.connection._util import pair
from kusari.links.connection.convolution_2d import Convolution2D


class DeformableConvolution2DSampler(Link):
    """The deformable part of :class:`DeformableConvolution2D`: ``W`` and ``b``.

    Applies :func:`~kusari.functions.deformable_convolution_2d_sampler` with the given
    offsets. Unlike :class:`Convolution2D`, the weight defaults to zeros (as in
    Chainer 7).

    Args:
        in_channels: Input channels, or None (inferred from the first input).
        out_channels: Output channels.
        ksize: Kernel size (int or pair).
        stride: Stride (int or pair).
        pad: Zero padding (int or pair).
        nobias: No bias when True.
        initialW: Weight initializer (None: zeros), scalar or 4-d array.
        initial_bias: Bias initializer (None: zeros), scalar or 1-d array.

    Attributes:
        W: Weight parameter ``(out_channels, in_channels, kh, kw)``.
        b: Bias parameter ``(out_channels,)``, or None.

    Example:
        >>> import numpy
        >>> s = DeformableConvolution2DSampler(2, 3, 3, initialW=1.0)
        >>> x = numpy.ones((1, 2, 4, 4), numpy.float32)
        >>> offset = numpy.zeros((1, 18, 2, 2), numpy.float32)
        >>> s(x, offset).array[0, :, 0, 0].tolist()
        [18.0, 18.0, 18.0]
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, initialW: Any = None,
                 initial_bias: Any = None) -> None:
        super().__init__()
        self.ksize = ksize
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.initialW = initialW
        if initialW is None:
            initialW = initializers.Zero()
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias))
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels: int) -> None:
        self.in_channels = in_channels
        self.W.initialize((self.out_channels, in_channels) + pair(self.ksize))
        if self.b is not None:
            self.b.initialize(self.out_channels)

    def printable_specs(self) -> Any:
        for name in ("in_channels", "out_channels", "ksize", "stride", "pad"):
            yield name, getattr(self, name)
        yield "nobias", self.b is None

    def forward(self, x: Any, offset: Any) -> variable.Variable:
        """Sample ``x`` at the offset taps and convolve.

        Args:
            x: Input ``(N, C, H, W)``.
            offset: Offsets ``(N, 2 kh kw, oh, ow)`` (horizontal ones first).

        Returns:
            Output ``(N, out_channels, oh, ow)``.

        Raises:
            ValueError: ``x`` is not 4-d, or the offsets do not match the kernel.
        """
        from kusari.functions.connection.deformable_convolution_2d_sampler import (
            deformable_convolution_2d_sampler,
        )

        if x.ndim != 4:
            raise ValueError("DeformableConvolution2D: expected a 4-d input (N, C, H, W), "
                             f"got shape {tuple(x.shape)}")
        if self.W._data is None:
            self._initialize_params(x.shape[1])
        return deformable_convolution_2d_sampler(x, offset, self.W, self.b, self.stride,
                                                 self.pad)


class DeformableConvolution2D(Chain):
    """2-D deformable convolution layer (`Dai et al. <https://arxiv.org/abs/1703.06211>`_).

    A :class:`Convolution2D` ``offset_conv`` predicts ``2 kh kw`` offsets per output
    pixel from the input; ``deform_conv`` (a :class:`DeformableConvolution2DSampler`)
    then convolves the input read bilinearly at the shifted taps. The parameters are
    ``offset_conv/W``, ``offset_conv/b``, ``deform_conv/W`` and ``deform_conv/b``, as
    in Chainer. ``deform_conv``'s weight defaults to zeros, as in Chainer 7.

    Args:
        in_channels: Input channels, or None (inferred from the first input).
        out_channels: Output channels.
        ksize: Kernel size (int or pair), shared by both convolutions.
        stride: Stride (int or pair), shared by both convolutions.
        pad: Zero padding (int or pair), shared by both convolutions.
        offset_nobias: No bias in ``offset_conv`` when True.
        offset_initialW: ``offset_conv`` weight initializer (None: LeCunNormal).
        offset_initial_bias: ``offset_conv`` bias initializer (None: zeros).
        deform_nobias: No bias in ``deform_conv`` when True.
        deform_initialW: ``deform_conv`` weight initializer (None: zeros).
        deform_initial_bias: ``deform_conv`` bias initializer (None: zeros).

    Example:
        >>> import numpy
        >>> dc = DeformableConvolution2D(None, 4, 3, pad=1)
        >>> dc(numpy.ones((2, 3, 5, 5), numpy.float32)).shape
        (2, 4, 5, 5)
        >>> dc.offset_conv.W.shape, dc.deform_conv.W.shape
        ((18, 3, 3, 3), (4, 3, 3, 3))
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, offset_nobias: bool = False,
                 offset_initialW: Any = None, offset_initial_bias: Any = None,
                 deform_nobias: bool = False, deform_initialW: Any = None,
                 deform_initial_bias: Any = None) -> None:
        super().__init__()
        kh, kw = pair(ksize)
        with self.init_scope():
            self.offset_conv = Convolution2D(in_channels, 2 * kh * kw, ksize, stride, pad,
                                             offset_nobias, offset_initialW,
                                             offset_initial_bias)
            self.deform_conv = DeformableConvolution2DSampler(
                in_channels, out_channels, ksize, stride, pad, deform_nobias,
                deform_initialW, deform_initial_bias)

    def forward(self, x: Any) -> variable.Variable:
        """Apply the deformable convolution.

        Args:
            x: Input ``(N, C, H, W)``.

        Returns:
            Output ``(N, out_channels, oh, ow)``.

        Raises:
            ValueError: ``x`` is not 4-d.
        """
        if x.ndim != 4:
            raise ValueError("DeformableConvolution2D: expected a 4-d input (N, C, H, W), "
                             f"got shape {tuple(x.shape)}")
        offset = self.offset_conv(x)
        return self.deform_conv(x, offset)
