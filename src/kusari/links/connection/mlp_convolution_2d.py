"""The mlpconv layer of Network in Network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari import variable
from kusari.functions.activation.relu import relu
from kusari.link import ChainList
from kusari.links.connection.convolution_2d import Convolution2D

_WSCALE_MSG = ("wscale is not supported anymore. Use conv_init and bias_init argument to "
               "change the scale of initial parameters.")


class MLPConvolution2D(ChainList):
    """Network-in-Network "mlpconv": a convolution, then 1x1 convolutions.

    ``MLPConvolution2D(in_channels, out_channels, ksize, stride=1, pad=0,
    activation=relu, conv_init=None, bias_init=None)``. Child ``0`` is a
    ``ksize`` :class:`Convolution2D` to ``out_channels[0]`` channels; child ``i`` is a
    1x1 convolution to ``out_channels[i]``. ``activation`` follows every child but the
    last. As with :class:`Convolution2D`, two positional arguments
    ``(out_channels, ksize)`` or ``in_channels=None`` infer the input channels.
    See `Network in Network <https://arxiv.org/abs/1312.4400v3>`_.

    Args:
        in_channels: Input channels, or None.
        out_channels: Non-empty sequence of channel counts, one per convolution.
        ksize: Kernel size of the first convolution (int or pair).
        stride: Stride of the first convolution (int or pair).
        pad: Padding of the first convolution (int or pair).
        activation: Callable applied between the convolutions (not after the last).
        conv_init: (keyword) Weight initializer of every convolution.
        bias_init: (keyword) Bias initializer of every convolution.

    Attributes:
        activation: The activation function.

    Raises:
        TypeError: Extra positional arguments (the removed ``wscale``) or unexpected
            keywords.
        ValueError: The removed ``wscale`` keyword, or an empty ``out_channels``.

    Example:
        >>> import numpy
        >>> mlp = MLPConvolution2D(3, (8, 6, 4), 3, pad=1)
        >>> mlp(numpy.zeros((2, 3, 5, 5), numpy.float32)).shape
        (2, 4, 5, 5)
        >>> [n for n, _ in mlp.namedparams()][:4]
        ['/0/W', '/0/b', '/1/W', '/1/b']
    """

    def __init__(self, in_channels: Any, out_channels: Any, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0,
                 activation: Callable[[Any], Any] = relu, *args: Any,
                 **kwargs: Any) -> None:
        if args:
            raise TypeError(_WSCALE_MSG)
        if "wscale" in kwargs:
            raise ValueError(_WSCALE_MSG)
        conv_init = kwargs.pop("conv_init", None)
        bias_init = kwargs.pop("bias_init", None)
        if kwargs:
            raise TypeError("MLPConvolution2D() got unexpected keyword argument(s) "
                            f"{', '.join(sorted(kwargs))}")
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        if not hasattr(out_channels, "__getitem__") or len(out_channels) == 0:
            raise ValueError("MLPConvolution2D: out_channels must be a non-empty sequence "
                             f"of ints, got {out_channels!r}")
        convs = [Convolution2D(in_channels, out_channels[0], ksize, stride, pad,
                               initialW=conv_init, initial_bias=bias_init)]
        convs += [Convolution2D(n_in, n_out, 1, initialW=conv_init, initial_bias=bias_init)
                  for n_in, n_out in zip(out_channels[:-1], out_channels[1:])]
        super().__init__(*convs)
        self.activation = activation

    def forward(self, x: Any) -> variable.Variable:
        """Apply the convolutions with the activation in between.

        Args:
            x: Input ``(N, C, H, W)``.

        Returns:
            Output ``(N, out_channels[-1], oh, ow)``.
        """
        convs = list(self)
        for conv in convs[:-1]:
            x = self.activation(conv(x))
        return convs[-1](x)
