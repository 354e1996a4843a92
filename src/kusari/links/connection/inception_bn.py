"""The Inception module of GoogLeNet with batch normalization (Inception v2)."""

from __future__ import annotations

from typing import Any

import kusari
from kusari import variable
from kusari.link import Chain
from kusari.links.connection.convolution_2d import Convolution2D
from kusari.links.normalization.batch_normalization import BatchNormalization


class InceptionBN(Chain):
    """Inception module with batch normalization (`Ioffe & Szegedy
    <https://arxiv.org/abs/1502.03167>`_).

    Like :class:`Inception`, but every convolution (without bias) is followed by a
    :class:`BatchNormalization` and ReLU, the 5x5 path is two 3x3 convolutions, and
    the pooling is max or average. Paths (child names as in Chainer):

    * ``conv1``/``conv1n`` (only when ``out1 > 0``): 1x1 convolution;
    * ``proj3``/``proj3n``, ``conv3``/``conv3n``: 1x1 projection, 3x3 convolution;
    * ``proj33``/``proj33n``, ``conv33a``/``conv33an``, ``conv33b``/``conv33bn``:
      1x1 projection, two 3x3 convolutions;
    * 3x3 pooling (pad 1), then ``poolp``/``poolpn`` (only when ``proj_pool`` is
      given): 1x1 projection.

    The last convolution of each path and the pooling use ``stride``.

    Args:
        in_channels: Input channels, or None (inferred from the first input).
        out1: Output channels of the 1x1 path (0: no such path).
        proj3: Projection channels of the 3x3 path.
        out3: Output channels of the 3x3 path.
        proj33: Projection channels of the double 3x3 path.
        out33: Output channels of the double 3x3 path.
        pooltype: ``'max'`` or ``'avg'``.
        proj_pool: Projection channels of the pooling path, or None (no projection).
        stride: Stride of the last convolution of each path and of the pooling.
        conv_init: Weight initializer of every convolution (None: LeCunNormal).
        dtype: dtype of the batch normalizations (None: ``config.dtype``).

    Raises:
        NotImplementedError: ``pooltype`` is neither ``'max'`` nor ``'avg'``.
        AssertionError: ``out1 > 0`` with ``stride != 1`` or without ``proj_pool``
            (Chainer asserts too).

    Example:
        >>> import numpy
        >>> inc = InceptionBN(3, 2, 2, 4, 2, 3, 'max', proj_pool=1)
        >>> inc(numpy.ones((2, 3, 6, 6), numpy.float32)).shape
        (2, 10, 6, 6)
        >>> InceptionBN(3, 0, 2, 4, 2, 3, 'avg', stride=2)(
        ...     numpy.ones((2, 3, 6, 6), numpy.float32)).shape
        (2, 10, 3, 3)
    """

    def __init__(self, in_channels: int | None, out1: int, proj3: int, out3: int,
                 proj33: int, out33: int, pooltype: str, proj_pool: int | None = None,
                 stride: int = 1, conv_init: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if pooltype not in ("max", "avg"):
            raise NotImplementedError(
                f"InceptionBN: pooltype must be 'max' or 'avg', got {pooltype!r}")
        if out1 > 0:
            if stride != 1:
                raise AssertionError("InceptionBN: the 1x1 path (out1 > 0) needs stride 1")
            if proj_pool is None:
                raise AssertionError("InceptionBN: the 1x1 path (out1 > 0) needs proj_pool")
        self.out1 = out1
        self.proj_pool = proj_pool
        self.stride = stride
        self.pooltype = pooltype
        dtype = kusari.get_dtype(dtype)

        def conv(n_in: int | None, n_out: int, ksize: int, **kw: Any) -> Convolution2D:
            return Convolution2D(n_in, n_out, ksize, nobias=True, initialW=conv_init, **kw)

        with self.init_scope():
            self.proj3 = conv(in_channels, proj3, 1)
            self.conv3 = conv(proj3, out3, 3, pad=1, stride=stride)
            self.proj33 = conv(in_channels, proj33, 1)
            self.conv33a = conv(proj33, out33, 3, pad=1)
            self.conv33b = conv(out33, out33, 3, pad=1, stride=stride)
            self.proj3n = BatchNormalization(proj3, dtype=dtype)
            self.conv3n = BatchNormalization(out3, dtype=dtype)
            self.proj33n = BatchNormalization(proj33, dtype=dtype)
            self.conv33an = BatchNormalization(out33, dtype=dtype)
            self.conv33bn = BatchNormalization(out33, dtype=dtype)
            if out1 > 0:
                self.conv1 = conv(in_channels, out1, 1, stride=stride)
                self.conv1n = BatchNormalization(out1, dtype=dtype)
            if proj_pool is not None:
                self.poolp = conv(in_channels, proj_pool, 1)
                self.poolpn = BatchNormalization(proj_pool, dtype=dtype)

    def forward(self, x: Any) -> variable.Variable:
        """Apply the module.

        Args:
            x: Input ``(N, C, H, W)``.

        Returns:
            Output with ``out1 + out3 + out33 + (proj_pool or C)`` channels; the
            spatial size is divided by ``stride`` (rounded up).
        """
        from kusari.functions.activation.relu import relu
        from kusari.functions.array.concat import concat
        from kusari.functions.pooling.average_pooling_2d import average_pooling_2d
        from kusari.functions.pooling.max_pooling_2d import max_pooling_2d

        outs = []
        if self.out1 > 0:
            outs.append(relu(self.conv1n(self.conv1(x))))
        h3 = relu(self.proj3n(self.proj3(x)))
        outs.append(relu(self.conv3n(self.conv3(h3))))
        h33 = relu(self.proj33n(self.proj33(x)))
        h33 = relu(self.conv33an(self.conv33a(h33)))
        outs.append(relu(self.conv33bn(self.conv33b(h33))))
        if self.pooltype == "max":
            p = max_pooling_2d(x, 3, stride=self.stride, pad=1, cover_all=False)
        else:
            p = average_pooling_2d(x, 3, stride=self.stride, pad=1)
        if self.proj_pool is not None:
            p = relu(self.poolpn(self.poolp(p)))
        outs.append(p)
        return concat(outs, axis=1)
