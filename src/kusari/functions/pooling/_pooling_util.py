"""Array kernels for pooling over N spatial axes: loops over kernel offsets, never pixels."""

from __future__ import annotations

import itertools
from typing import Any

import numpy

from kusari.backend import get_array_module
from kusari.functions.connection import _conv_util as cu
from kusari.functions.pooling import _pooling_cuda


def parse(ndim: int, ksize: Any, stride: Any, pad: Any, fname: str) -> tuple:
    """``(ksize, stride, pad)`` as ``ndim``-tuples; ``stride=None`` means ``ksize``."""
    k = cu.as_tuple(ksize, ndim, "ksize", fname)
    s = k if stride is None else cu.as_tuple(stride, ndim, "stride", fname)
    p = cu.as_tuple(pad, ndim, "pad", fname)
    if any(v <= 0 for v in k):
        raise ValueError(f"{fname}: ksize must be positive, got {ksize}")
    if any(v <= 0 for v in s):
        raise ValueError(f"{fname}: stride must be positive, got {stride}")
    if any(v < 0 for v in p):
        raise ValueError(f"{fname}: pad must be non-negative, got {pad}")
    return k, s, p


def check_ndim(x: Any, n: int) -> None:
    nd = len(x.shape) - 2
    if nd != n:
        raise ValueError(
            f"The number of dimensions under channel dimension of the input 'x' should be "
            f"{n}. But the actual ndim was {nd}.")


def outsize(insize: tuple, ksize: tuple, stride: tuple, pad: tuple, cover_all: bool) -> tuple:
    out = tuple(cu.conv_outsize(insize[i], ksize[i], stride[i], pad[i], cover_all)
                for i in range(len(ksize)))
    if any(o <= 0 for o in out):
        raise AssertionError(f"the output size of pooling must be positive, got {out}")
    return out


def offsets(ksize: tuple) -> list:
    return list(itertools.product(*[range(k) for k in ksize]))


def window_slices(off: tuple, stride: tuple, out: tuple) -> tuple:
    """The slice of the padded input that offset ``off`` of every window reads."""
    return (Ellipsis,) + tuple(
        slice(off[i], off[i] + stride[i] * (out[i] - 1) + 1, stride[i])
        for i in range(len(off)))


def max_forward(x: Any, ksize: tuple, stride: tuple, pad: tuple, out: tuple,
                need_indexes: bool) -> tuple:
    """Window maxima and (optionally) the flat in-window index of the first maximum.

    The indexes are int8 when the window has at most 127 elements (a quarter of the
    memory traffic of int32), else int32.
    """
    xp = get_array_module(x)
    nd = len(ksize)
    offs = offsets(ksize)
    dt = numpy.int8 if len(offs) <= 127 else numpy.int32
    if xp is not numpy and nd == 2 and x.ndim == 4:
        return _pooling_cuda.max_forward(x, ksize, stride, pad, out, dt)
    xpad = cu.pad_for(x, ksize, stride, pad, (1,) * nd, out, pval=float("-inf"))
    slices = [window_slices(off, stride, out) for off in offs]
    y = xpad[slices[0]].copy()
    if not need_indexes:
        for sl in slices[1:]:
            xp.maximum(y, xpad[sl], out=y)
        return y, None
    if len(slices) == 1:
        return y, xp.zeros(y.shape, dt)
    # offset 1 writes its strict-improvement mask straight into the indexes (0 or 1)
    v = xpad[slices[1]]
    if dt is numpy.int8:
        idx = xp.empty(y.shape, dt)
        xp.greater(v, y, out=idx.view(bool))
    else:
        idx = xp.greater(v, y).astype(dt)
    xp.maximum(y, v, out=y)
    mask = xp.empty(y.shape, bool)
    tmp = xp.empty(y.shape, dt)
    for k, sl in enumerate(slices[2:], 2):
        v = xpad[sl]
        xp.greater(v, y, out=mask)
        xp.maximum(y, v, out=y)
        # the last offset with a new strict maximum is the largest such k
        xp.multiply(mask, dt(k), out=tmp)
        xp.maximum(idx, tmp, out=idx)
    return y, idx


def _buffer(xp: Any, lead: tuple, dtype: Any, ksize: tuple, stride: tuple, pad: tuple,
            insize: tuple, out: tuple, fill: bool = True) -> Any:
    full = tuple(max(pad[i] + insize[i], (out[i] - 1) * stride[i] + ksize[i])
                 for i in range(len(ksize)))
    return (xp.zeros if fill else xp.empty)(lead + full, dtype)


def _crop(img: Any, pad: tuple, insize: tuple) -> Any:
    return img[(Ellipsis,) + tuple(slice(pad[i], pad[i] + insize[i]) for i in range(len(pad)))]


def _tiles(ksize: tuple, stride: tuple, pad: tuple, insize: tuple, out: tuple) -> bool:
    """Whether the windows tile the input exactly (each element in exactly one window)."""
    return all(stride[i] == ksize[i] and pad[i] == 0 and out[i] * ksize[i] == insize[i]
               for i in range(len(ksize)))


def max_scatter(gy: Any, idx: Any, ksize: tuple, stride: tuple, pad: tuple,
                insize: tuple) -> Any:
    """Put each ``gy`` at the position its window's maximum came from (adding overlaps)."""
    xp = get_array_module(gy)
    nd = len(ksize)
    if xp is not numpy and nd == 2 and gy.ndim == 4:
        return _pooling_cuda.max_scatter(gy, idx, ksize, stride, pad, insize)
    out = gy.shape[gy.ndim - nd:]
    # windows that tile the input write every element exactly once: no zero fill
    tiles = _tiles(ksize, stride, pad, tuple(insize), tuple(out))
    img = _buffer(xp, gy.shape[:gy.ndim - nd], gy.dtype, ksize, stride, pad, insize, out,
                  fill=not tiles)
    disjoint = all(stride[i] >= ksize[i] for i in range(nd))
    m = xp.empty(gy.shape, bool) if disjoint else None
    for k, off in enumerate(offsets(ksize)):
        sl = window_slices(off, stride, out)
        if disjoint:
            xp.equal(idx, k, out=m)
            xp.multiply(gy, m, out=img[sl])
        else:
            img[sl] += gy * (idx == k)
    return _crop(img, pad, insize)


def max_gather(x: Any, idx: Any, ksize: tuple, stride: tuple, pad: tuple) -> Any:
    """The element of each window of ``x`` chosen by ``idx`` (the adjoint of scatter)."""
    xp = get_array_module(x)
    nd = len(ksize)
    if xp is not numpy and nd == 2 and x.ndim == 4:
        return _pooling_cuda.max_gather(x, idx, ksize, stride, pad)
    out = idx.shape[idx.ndim - nd:]
    xpad = cu.pad_for(x, ksize, stride, pad, (1,) * nd, out)
    y = xp.zeros(idx.shape, x.dtype)
    for k, off in enumerate(offsets(ksize)):
        y += xpad[window_slices(off, stride, out)] * (idx == k)
    return y


def sum_pool(x: Any, ksize: tuple, stride: tuple, pad: tuple, out: tuple) -> Any:
    """The sum of each (zero-padded) window."""
    nd = len(ksize)
    xpad = cu.pad_for(x, ksize, stride, pad, (1,) * nd, out)
    offs = offsets(ksize)
    y = xpad[window_slices(offs[0], stride, out)].copy()
    for off in offs[1:]:
        y += xpad[window_slices(off, stride, out)]
    return y


def sum_unpool(gy: Any, ksize: tuple, stride: tuple, pad: tuple, insize: tuple) -> Any:
    """The adjoint of :func:`sum_pool`: every window gets its ``gy`` added to each element."""
    xp = get_array_module(gy)
    nd = len(ksize)
    out = gy.shape[gy.ndim - nd:]
    img = _buffer(xp, gy.shape[:gy.ndim - nd], gy.dtype, ksize, stride, pad, insize, out)
    disjoint = all(stride[i] >= ksize[i] for i in range(nd))
    for off in offsets(ksize):
        sl = window_slices(off, stride, out)
        if disjoint:
            img[sl] = gy
        else:
            img[sl] += gy
    return _crop(img, pad, insize)


def window_counts(xp: Any, insize: tuple, ksize: tuple, stride: tuple, pad: tuple,
                  out: tuple, dtype: Any) -> Any:
    """How many real (unpadded) elements each window holds, shaped ``out``."""
    counts = None
    for i in range(len(ksize)):
        starts = xp.arange(out[i]) * stride[i] - pad[i]
        lo = xp.maximum(starts, 0)
        hi = xp.minimum(starts + ksize[i], insize[i])
        c = xp.maximum(hi - lo, 0).astype(dtype)
        shape = [1] * len(ksize)
        shape[i] = out[i]
        c = c.reshape(shape)
        counts = c if counts is None else counts * c
    return counts
