"""Deformable 2-D convolution with given sampling offsets."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module


def _pair(x: Any) -> tuple:
    if hasattr(x, "__getitem__"):
        return tuple(x)
    return x, x


def deformable_convolution_2d_sampler(x: Any, offset: Any, W: Any, b: Any = None,  # noqa: N803
                                      stride: Any = 1, pad: Any = 0) -> variable.Variable:
    """Deformable convolution: a convolution whose taps are moved by learned offsets.

    For output pixel :math:`p` and filter tap :math:`k` (at :math:`p_k` in the regular
    grid of the padded input), the input is read bilinearly at :math:`p_0 + p_k +
    \\Delta p_k` with :math:`\\Delta p_k` from ``offset``; then

    .. math:: y(p_0) = \\sum_k W_k \\, x(p_0 + p_k + \\Delta p_k) + b.

    Points outside the (zero-)padded input read zero. See `Deformable Convolutional
    Networks <https://arxiv.org/abs/1703.06211>`_.

    Args:
        x: Variable or array ``(n, c_I, h, w)``.
        offset: Variable or array ``(n, 2 k_H k_W, h_O, w_O)``: the horizontal offsets of
            the ``k_H k_W`` taps (row-major), then the vertical ones; ``x``'s dtype.
        W: Filter ``(c_O, c_I, k_H, k_W)``.
        b: Bias ``(c_O,)`` or ``None``.
        stride: An int or a pair ``(s_Y, s_X)``.
        pad: An int or a pair ``(p_H, p_W)`` (zero padding of the input).

    Returns:
        A Variable ``(n, c_O, h_O, w_O)``.

    Raises:
        ValueError: ``offset.shape[1] != 2 k_H k_W``.

    Example:
        >>> import numpy
        >>> x = numpy.ones((1, 2, 4, 5), numpy.float32)
        >>> offset = numpy.zeros((1, 2 * 3 * 3, 2, 3), numpy.float32)
        >>> W = numpy.ones((4, 2, 3, 3), numpy.float32)
        >>> y = deformable_convolution_2d_sampler(x, offset, W)
        >>> y.shape, float(y.array[0, 0, 0, 0])
        ((1, 4, 2, 3), 18.0)
    """
    from kusari.functions.array.broadcast import broadcast_to
    from kusari.functions.array.concat import concat
    from kusari.functions.array.pad import pad as pad_fn
    from kusari.functions.array.reshape import reshape
    from kusari.functions.array.spatial_transformer_sampler import spatial_transformer_sampler
    from kusari.functions.array.transpose import transpose
    from kusari.functions.math.matmul import matmul

    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    out_c, _, kh, kw = W.shape
    n, c, h, w = x.shape
    _, khkw2, out_h, out_w = offset.shape
    if khkw2 != 2 * kh * kw:
        raise ValueError("The shape of the offset does not match the kernel size")

    offset = variable.as_variable(offset)
    xp = get_array_module(offset.array)
    dt = offset.dtype
    k = kh * kw
    # regular positions of every tap in the padded input: (k, out_h, out_w)
    base_x = (xp.arange(out_w, dtype=dt)[None, None, :] * sx
              + xp.tile(xp.arange(kw, dtype=dt), kh)[:, None, None])
    base_y = (xp.arange(out_h, dtype=dt)[None, :, None] * sy
              + xp.repeat(xp.arange(kh, dtype=dt), kw)[:, None, None])
    # normalized to the sampler's [-1, 1] frame of the padded input
    gx = ((offset[:, :k] + base_x) / dt.type(w + 2 * pw - 1) - dt.type(0.5)) * dt.type(2)
    gy = ((offset[:, k:] + base_y) / dt.type(h + 2 * ph - 1) - dt.type(0.5)) * dt.type(2)
    grid = reshape(concat([gx, gy], axis=1), (n, 2, k, out_h * out_w))

    x_pad = pad_fn(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), "constant")
    cols = spatial_transformer_sampler(x_pad, grid)  # (n, c, k, out_h * out_w)
    cols = reshape(transpose(cols, (0, 3, 1, 2)), (n * out_h * out_w, c * k))
    y = matmul(cols, reshape(W, (out_c, c * k)), transb=True)
    y = transpose(reshape(y, (n, out_h, out_w, out_c)), (0, 3, 1, 2))
    if b is not None:
        y = y + broadcast_to(reshape(b, (1, out_c, 1, 1)), y.shape)
    return y
