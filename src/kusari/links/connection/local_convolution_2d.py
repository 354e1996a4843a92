"""Locally connected 2-D layer: unshared filters, one per output pixel."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Link
from kusari.links.connection._util import pair


class LocalConvolution2D(Link):
    """2-D local convolution with weight ``W`` ``(out, oh, ow, in, kh, kw)`` and bias ``b``.

    Like :class:`Convolution2D`, but every output pixel has its own filter (no weight
    sharing), so the parameter shapes depend on the input's spatial size. There is no
    padding: ``oh = (ih - kh) // sy + 1`` and likewise ``ow`` (Chainer 7 ignores the
    stride here, so its link fails for ``stride > 1``; with stride 1 the shapes agree).
    When ``in_channels`` or ``in_size`` is None, both are taken from the first input
    and the parameters are initialized lazily.

    Args:
        in_channels: Input channels, or None.
        out_channels: Output channels.
        in_size: Input height and width (int or pair), or None.
        ksize: Kernel size (int or pair).
        stride: Stride (int or pair).
        nobias: No bias when True.
        initialW: Weight initializer (None: LeCunNormal), scalar or 6-d array.
        initial_bias: Bias initializer (None: zeros), scalar or 3-d array.

    Attributes:
        W: Weight parameter ``(out_channels, oh, ow, in_channels, kh, kw)``.
        b: Bias parameter ``(out_channels, oh, ow)``, or None.

    Raises:
        ValueError: ``ksize`` missing, or the kernel larger than the input.
        TypeError: An unexpected keyword argument.

    Example:
        >>> import numpy
        >>> lc = LocalConvolution2D(3, 4, in_size=5, ksize=3)
        >>> lc.W.shape, lc.b.shape
        ((4, 3, 3, 3, 3, 3), (4, 3, 3))
        >>> lc(numpy.zeros((2, 3, 5, 5), numpy.float32)).shape
        (2, 4, 3, 3)
    """

    def __init__(self, in_channels: int | None, out_channels: int, in_size: Any = None,
                 ksize: Any = None, stride: Any = 1, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None, **kwargs: Any) -> None:
        super().__init__()
        if kwargs:
            raise TypeError("LocalConvolution2D() got unexpected keyword argument(s) "
                            f"{', '.join(sorted(kwargs))}")
        if ksize is None:
            raise ValueError("LocalConvolution2D: ksize must be given")
        self.ksize = ksize
        self.stride = pair(stride)
        self.nobias = nobias
        self.in_channels = in_channels
        self.in_size = None if in_size is None else pair(in_size)
        self.out_channels = out_channels
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias))
            if in_channels is not None and in_size is not None:
                self._initialize_params(in_channels, self.in_size)

    def _initialize_params(self, in_channels: int, in_size: Any) -> None:
        kh, kw = pair(self.ksize)
        ih, iw = pair(in_size)
        sy, sx = self.stride
        oh, ow = (ih - kh) // sy + 1, (iw - kw) // sx + 1
        if ih < kh or iw < kw:
            raise ValueError(f"LocalConvolution2D: kernel {(kh, kw)} is larger than the "
                             f"input {(ih, iw)}")
        self.in_channels = in_channels
        self.in_size = (ih, iw)
        self.W.initialize((self.out_channels, oh, ow, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize((self.out_channels, oh, ow))

    def printable_specs(self) -> Any:
        for name in ("in_channels", "out_channels", "in_size", "ksize", "stride"):
            yield name, getattr(self, name)
        yield "nobias", self.b is None

    def forward(self, x: Any) -> variable.Variable:
        """Apply the local convolution.

        Args:
            x: Input of shape ``(N, C, H, W)``.

        Returns:
            Output of shape ``(N, out_channels, oh, ow)``.

        Raises:
            ValueError: ``x`` is not 4-d, or does not fit the initialized filters.
        """
        from kusari.functions.connection.local_convolution_2d import local_convolution_2d

        if x.ndim != 4:
            raise ValueError(f"LocalConvolution2D: expected a 4-d input (N, C, H, W), got "
                             f"shape {tuple(x.shape)}")
        if self.W._data is None:
            self._initialize_params(x.shape[1], x.shape[2:])
        return local_convolution_2d(x, self.W, self.b, self.stride)
