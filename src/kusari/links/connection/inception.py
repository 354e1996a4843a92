"""The Inception module of GoogLeNet."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.link import Chain
from kusari.links.connection.convolution_2d import Convolution2D


class Inception(Chain):
    """Inception module of GoogLeNet (`Szegedy et al. <https://arxiv.org/abs/1409.4842>`_).

    Four paths over the input, concatenated along the channels and passed through ReLU:
    a 1x1 convolution (``conv1``); a 1x1 projection (``proj3``), ReLU and a 3x3
    convolution (``conv3``); a 1x1 projection (``proj5``), ReLU and a 5x5 convolution
    (``conv5``); a 3x3 stride-1 max pooling and a 1x1 projection (``projp``). Padding
    keeps the spatial size. The child names match Chainer's, so snapshots load.

    Args:
        in_channels: Input channels, or None (inferred from the first input).
        out1: Output channels of the 1x1 path.
        proj3: Projection channels of the 3x3 path.
        out3: Output channels of the 3x3 path.
        proj5: Projection channels of the 5x5 path.
        out5: Output channels of the 5x5 path.
        proj_pool: Projection channels of the pooling path.
        conv_init: Weight initializer of every convolution (None: LeCunNormal).
        bias_init: Bias initializer of every convolution (None: zeros).

    Example:
        >>> import numpy
        >>> inc = Inception(3, 2, 2, 4, 2, 3, 1)
        >>> inc(numpy.ones((1, 3, 6, 6), numpy.float32)).shape
        (1, 10, 6, 6)
        >>> sorted(n for n, _ in inc.namedparams())[:2]
        ['/conv1/W', '/conv1/b']
    """

    def __init__(self, in_channels: int | None, out1: int, proj3: int, out3: int,
                 proj5: int, out5: int, proj_pool: int, conv_init: Any = None,
                 bias_init: Any = None) -> None:
        super().__init__()
        init = {"initialW": conv_init, "initial_bias": bias_init}
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, out1, 1, **init)
            self.proj3 = Convolution2D(in_channels, proj3, 1, **init)
            self.conv3 = Convolution2D(proj3, out3, 3, pad=1, **init)
            self.proj5 = Convolution2D(in_channels, proj5, 1, **init)
            self.conv5 = Convolution2D(proj5, out5, 5, pad=2, **init)
            self.projp = Convolution2D(in_channels, proj_pool, 1, **init)

    def forward(self, x: Any) -> variable.Variable:
        """Apply the module.

        Args:
            x: Input ``(N, C, H, W)``.

        Returns:
            Output ``(N, out1 + out3 + out5 + proj_pool, H, W)``.
        """
        from kusari.functions.activation.relu import relu
        from kusari.functions.array.concat import concat
        from kusari.functions.pooling.max_pooling_2d import max_pooling_2d

        h1 = self.conv1(x)
        h3 = self.conv3(relu(self.proj3(x)))
        h5 = self.conv5(relu(self.proj5(x)))
        hp = self.projp(max_pooling_2d(x, 3, stride=1, pad=1))
        return relu(concat((h1, h3, h5, hp), axis=1))
