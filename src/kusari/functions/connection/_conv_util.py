"""Array kernels shared by convolution, deconvolution and pooling (N spatial dimensions).

Every kernel works on NumPy and CuPy alike. ``im2col`` is a strided *view* of the padded
input with shape ``(N, C, *ksize, *outsize)``; the only copy happens in the reshape that
the matrix product needs. ``col2im`` adds the columns back by looping over the kernel
offsets (never over pixels).
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

import numpy

from kusari.backend import get_array_module
from kusari.functions.connection import _conv_cuda


def as_tuple(value: Any, n: int, name: str, fname: str) -> tuple:
    """``value`` as an ``n``-tuple of ints (an int is repeated)."""
    if isinstance(value, (int, numpy.integer)):
        return (int(value),) * n
    try:
        t = tuple(int(v) for v in value)
    except TypeError:
        raise TypeError(f"{fname}: {name} must be an int or a tuple of ints, "
                        f"got {type(value).__name__}") from None
    if len(t) != n:
        raise ValueError(f"{fname}: {name} must have {n} elements, got {len(t)}")
    return t


def conv_outsize(size: int, k: int, s: int, p: int, cover_all: bool = False, d: int = 1) -> int:
    """The output length of a convolution along one axis."""
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return (size + p * 2 - dk + s - 1) // s + 1
    return (size + p * 2 - dk) // s + 1


def deconv_outsize(size: int, k: int, s: int, p: int, cover_all: bool = False,
                   d: int = 1) -> int:
    """The output length of a deconvolution (transposed convolution) along one axis."""
    dk = (k - 1) * d + 1
    if cover_all:
        return s * (size - 1) + dk - s + 1 - 2 * p
    return s * (size - 1) + dk - 2 * p


def _as_strided(xp: Any, x: Any, shape: tuple, strides: tuple) -> Any:
    if xp is numpy:
        return numpy.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(x, shape, strides)


def pad_for(x: Any, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple, outsize: tuple,
            pval: Any = 0) -> Any:
    """Pad the spatial axes of ``x`` so that windows for ``outsize`` outputs fit.

    The low side gets ``pad``; the high side as much as the last window needs (which
    may be less than ``pad`` or more, as with ``cover_all``).
    """
    nd = len(ksize)
    widths = [(0, 0)] * (x.ndim - nd)
    any_pad = False
    for i in range(nd):
        need = (outsize[i] - 1) * stride[i] + (ksize[i] - 1) * dilate[i] + 1
        hi = max(0, need - x.shape[x.ndim - nd + i] - pad[i])
        widths.append((pad[i], hi))
        any_pad = any_pad or pad[i] or hi
    if not any_pad:
        return x
    xp = get_array_module(x)
    if pval == 0:
        shape = x.shape[:x.ndim - nd] + tuple(
            x.shape[x.ndim - nd + i] + lo + hi for i, (lo, hi) in enumerate(widths[-nd:]))
        out = xp.zeros(shape, x.dtype)
    else:
        shape = x.shape[:x.ndim - nd] + tuple(
            x.shape[x.ndim - nd + i] + lo + hi for i, (lo, hi) in enumerate(widths[-nd:]))
        out = xp.full(shape, pval, x.dtype)
    sl = (Ellipsis,) + tuple(slice(lo, lo + x.shape[x.ndim - nd + i])
                             for i, (lo, _) in enumerate(widths[-nd:]))
    out[sl] = x
    return out


def im2col(x: Any, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple, outsize: tuple,
           pval: Any = 0, kernel_last: bool = False) -> Any:
    """A read-only window view of padded ``x``: ``(N, C, *ksize, *outsize)``.

    With ``kernel_last`` the view is ``(N, C, *outsize, *ksize)`` instead.
    """
    xp = get_array_module(x)
    xpad = pad_for(x, ksize, stride, pad, dilate, outsize, pval)
    nd = len(ksize)
    lead = xpad.shape[:xpad.ndim - nd]
    lstr = xpad.strides[:xpad.ndim - nd]
    sstr = xpad.strides[xpad.ndim - nd:]
    kstr = tuple(sstr[i] * dilate[i] for i in range(nd))
    ostr = tuple(sstr[i] * stride[i] for i in range(nd))
    if kernel_last:
        return _as_strided(xp, xpad, lead + tuple(outsize) + tuple(ksize), lstr + ostr + kstr)
    return _as_strided(xp, xpad, lead + tuple(ksize) + tuple(outsize), lstr + kstr + ostr)


def col2im(col: Any, stride: tuple, pad: tuple, insize: tuple, dilate: tuple) -> Any:
    """Add the columns ``(N, C, *ksize, *outsize)`` back into an ``(N, C, *insize)`` array."""
    xp = get_array_module(col)
    nd = len(insize)
    lead = col.shape[:col.ndim - 2 * nd]
    ksize = col.shape[col.ndim - 2 * nd:col.ndim - nd]
    outsize = col.shape[col.ndim - nd:]
    full = tuple(
        max(pad[i] + insize[i], (outsize[i] - 1) * stride[i] + (ksize[i] - 1) * dilate[i] + 1)
        for i in range(nd))
    img = xp.zeros(lead + full, col.dtype)
    nlead = len(lead)
    for offs in itertools.product(*[range(k) for k in ksize]):
        sl = (slice(None),) * nlead + tuple(
            slice(offs[i] * dilate[i], offs[i] * dilate[i] + stride[i] * (outsize[i] - 1) + 1,
                  stride[i]) for i in range(nd))
        img[sl] += col[(slice(None),) * nlead + offs]
    crop = (slice(None),) * nlead + tuple(slice(pad[i], pad[i] + insize[i]) for i in range(nd))
    return img[crop]


_scratch = threading.local()


def _workspace(xp: Any, role: str, shape: tuple, dtype: Any) -> Any:
    """An uninitialized temporary that never leaves a kernel, reused across calls.

    NumPy only (CuPy has its own memory pool): a fresh array of many megabytes each call
    costs page faults when the allocator hands the pages back to the system in between.
    One buffer per role and thread is kept.
    """
    if xp is not numpy:
        return xp.empty(shape, dtype)
    buf = getattr(_scratch, role, None)
    if buf is None or buf.shape != shape or buf.dtype != dtype:
        buf = numpy.empty(shape, dtype)
        setattr(_scratch, role, buf)
    return buf


def _flat_shifts(insize: tuple, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple,
                 outsize: tuple) -> list | None:
    """Per kernel offset, ``(flat shift, per-axis shift)`` when the flat layout applies.

    With stride 1 and ``outsize == insize`` ("same" padding), the input pixel that kernel
    offset ``k`` reads for output pixel ``p`` is ``p + shift_k`` in the flattened
    ``(C, N * prod(insize))`` image, except where the window leaves the image (those
    entries are masked). Columns are then contiguous row copies, not strided gathers.
    """
    if any(s != 1 for s in stride) or tuple(outsize) != tuple(insize):
        return None
    nd = len(ksize)
    out = []
    for offs in itertools.product(*[range(k) for k in ksize]):
        d = tuple(offs[i] * dilate[i] - pad[i] for i in range(nd))
        shift = 0
        for i in range(nd):
            shift = shift * insize[i] + d[i]
        out.append((shift, d))
    return out


def _mask_borders(c5: Any, k: int, d: tuple, insize: tuple) -> None:
    """Zero the entries of offset ``k`` of ``c5`` ``(C, K, N, *insize)`` whose window
    position ``p + d`` falls outside the image."""
    for i, di in enumerate(d):
        if di == 0:
            continue
        sl = slice(None, min(-di, insize[i])) if di < 0 else slice(max(insize[i] - di, 0), None)
        c5[(slice(None), k, slice(None)) + (slice(None),) * i + (sl,)] = 0


def _im2col_flat(x: Any, ksize: tuple, shifts: list, owned: bool = False) -> Any:
    """Contiguous columns ``(C * K, N * OUT)`` (rows ordered ``(c, *k)``) by row copies.

    The result is a workspace buffer (use it before the next call, never return it)
    unless ``owned``.
    """
    xp = get_array_module(x)
    n, c = x.shape[:2]
    insize = x.shape[2:]
    nd = len(insize)
    npix = x.size // c
    m = max(abs(s) for s, _ in shifts)
    xf = _workspace(xp, "xflat", (c, npix + 2 * m), x.dtype)
    xf[:, :m] = 0
    xf[:, m + npix:] = 0
    xf[:, m:m + npix].reshape((c, n) + insize)[...] = x.transpose((1, 0) + tuple(range(2, 2 + nd)))
    K = len(shifts)
    cols = (xp.empty((c, K, npix), x.dtype) if owned
            else _workspace(xp, "cols", (c, K, npix), x.dtype))
    c5 = cols.reshape((c, K, n) + insize)
    for k, (s, d) in enumerate(shifts):
        cols[:, k] = xf[:, m + s:m + s + npix]
        _mask_borders(c5, k, d, insize)
    return cols.reshape(c * K, npix)


def _col2im_flat(gcol: Any, n: int, insize: tuple, shifts: list) -> Any:
    """The adjoint of :func:`_im2col_flat`: ``(C * K, N * OUT)`` to ``(N, C, *insize)``.

    ``gcol`` is overwritten (its out-of-image entries are zeroed).
    """
    xp = get_array_module(gcol)
    K = len(shifts)
    c = gcol.shape[0] // K
    npix = gcol.shape[1]
    nd = len(insize)
    m = max(abs(s) for s, _ in shifts)
    g3 = gcol.reshape(c, K, npix)
    c5 = gcol.reshape((c, K, n) + insize)
    img = _workspace(xp, "img", (c, npix + 2 * m), gcol.dtype)
    img.fill(0)
    for k, (s, d) in enumerate(shifts):
        _mask_borders(c5, k, d, insize)
        img[:, m + s:m + s + npix] += g3[:, k]
    gx = img[:, m:m + npix].reshape((c, n) + insize)
    return gx.transpose((1, 0) + tuple(range(2, 2 + nd))).copy()  # never a view of img


def _big_cols(x: Any, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple,
              outsize: tuple, owned: bool = False) -> Any:
    """The contiguous ``(C * K, N * OUT)`` column matrix of one large GEMM (a workspace
    buffer unless ``owned``)."""
    xp = get_array_module(x)
    if xp is not numpy and len(ksize) == 2:
        return _conv_cuda.im2col_rows(x, ksize, stride, pad, dilate, outsize)
    shifts = _flat_shifts(x.shape[2:], ksize, stride, pad, dilate, outsize)
    if shifts is not None:
        return _im2col_flat(x, ksize, shifts, owned)
    col = im2col(x, ksize, stride, pad, dilate, outsize)
    n, c = x.shape[:2]
    nd = len(ksize)
    K = 1
    for k in ksize:
        K *= k
    cols = xp.ascontiguousarray(
        col.transpose((1,) + tuple(range(2, 2 + nd)) + (0,) + tuple(range(2 + nd, 2 + 2 * nd))))
    return cols.reshape(c * K, cols.size // (c * K))


def _big_gemm(c: int, K: int, n: int, groups: int) -> bool:
    """Whether one large GEMM over ``(C * K, N * OUT)`` columns is used."""
    return groups == 1 and c * K >= 64 and n > 1


def gy_rows(gy: Any) -> Any:
    """``gy`` ``(N, O, *out)`` as a contiguous ``(O, N * OUT)`` matrix (the layout of the
    large GEMMs; compute it once when both gradients need it)."""
    xp = get_array_module(gy)
    n, o = gy.shape[:2]
    return xp.ascontiguousarray(gy.reshape(n, o, -1).transpose(1, 0, 2)).reshape(o, -1)


class ColumnCache:
    """The column matrix of one convolution's forward, kept for its weight gradient.

    Building the columns costs about a third of a 3x3 convolution's forward on the CPU;
    keeping them saves rebuilding them in backward, at ``K`` times the input's memory.
    So only NumPy columns up to :attr:`MAX_BYTES` are kept, and all kept columns together
    stay under :attr:`BUDGET`; the rest are rebuilt as Chainer does. :meth:`take` hands
    them over once and forgets them.
    """

    __slots__ = ("cols", "nbytes")

    MAX_BYTES = 32 << 20
    BUDGET = 256 << 20
    _used = 0
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.cols: Any = None
        self.nbytes = 0

    def room(self, nbytes: int) -> bool:
        """Whether columns of ``nbytes`` may be kept now."""
        return nbytes <= self.MAX_BYTES and ColumnCache._used + nbytes <= self.BUDGET

    def hold(self, cols: Any) -> None:
        """Keep ``cols`` (NumPy only; CuPy's pool makes rebuilding cheap)."""
        if type(cols) is not numpy.ndarray or self.cols is not None:
            return
        with ColumnCache._lock:
            ColumnCache._used += cols.nbytes
        self.cols, self.nbytes = cols, cols.nbytes

    def take(self) -> Any:
        """The kept columns (or None), forgotten here."""
        cols = self.cols
        self.release()
        return cols

    def release(self) -> None:
        if self.cols is not None:
            self.cols = None
            with ColumnCache._lock:
                ColumnCache._used -= self.nbytes
            self.nbytes = 0

    def __del__(self) -> None:
        self.release()


def channel_sum(g: Any) -> Any:
    """``g.sum`` over every axis but 1 (the bias gradient of ``(N, C, *spatial)``).

    For float32/64 this is a matrix-vector product with ones, which BLAS runs several
    times faster than a reduction over the non-adjacent axes.
    """
    if g.dtype.kind != "f" or g.dtype.itemsize < 4 or g.ndim < 3 or not g.flags.c_contiguous:
        return g.sum(axis=(0,) + tuple(range(2, g.ndim)))
    xp = get_array_module(g)
    n, c = g.shape[:2]
    inner = g.size // (n * c) if g.size else 0
    if inner == 0:
        return xp.zeros(c, g.dtype)
    per = g.reshape(n * c, inner).dot(xp.ones(inner, g.dtype))
    return per.reshape(n, c).sum(axis=0)


def conv_forward(x: Any, W: Any, stride: tuple, pad: tuple, dilate: tuple, groups: int,
                 outsize: tuple, b: Any = None, keep: ColumnCache | None = None) -> Any:
    """``y[n, o, *out] = b[o] + sum_{c, k} W[o, c, *k] x_pad[n, c, out * s + k * d]``.

    With ``keep``, the column matrix of the large-GEMM path is offered to it, for the
    weight gradient to reuse.
    """
    xp = get_array_module(x)
    ksize = W.shape[2:]
    n, c = x.shape[:2]
    o = W.shape[0]
    K = 1
    for k in ksize:
        K *= k
    OUT = 1
    for s in outsize:
        OUT *= s
    if _big_gemm(c, K, n, groups):
        # one large GEMM (O, C*K) x (C*K, N*OUT) threads far better than N small ones;
        # its output is (O, N, *out), transposed back to NCHW (and the bias added) in
        # one pass
        owned = (keep is not None and xp is numpy
                 and keep.room(c * K * n * OUT * x.dtype.itemsize))
        cols = _big_cols(x, ksize, stride, pad, dilate, tuple(outsize), owned)
        if owned:
            keep.hold(cols)
        y = W.reshape(o, c * K).dot(cols).reshape(o, n, OUT).transpose(1, 0, 2)
        out = xp.empty((n, o, OUT), y.dtype)
        if b is None:
            out[...] = y
        else:
            xp.add(y, b.reshape(1, o, 1), out=out)
        return out.reshape((n, o) + tuple(outsize))
    col = im2col(x, ksize, stride, pad, dilate, outsize)
    if groups == 1:
        col = col.reshape(n, c * K, OUT)
        y = xp.matmul(W.reshape(o, c * K), col)
    else:
        col = col.reshape(n, groups, (c // groups) * K, OUT)
        y = xp.matmul(W.reshape(groups, o // groups, (c // groups) * K), col)
    y = y.reshape((n, o) + tuple(outsize))
    if b is not None:
        y += b.reshape((1, o) + (1,) * len(ksize))
    return y


def conv_grad_x(gy: Any, W: Any, stride: tuple, pad: tuple, dilate: tuple, groups: int,
                insize: tuple, g2: Any = None) -> Any:
    """The gradient of :func:`conv_forward` with respect to ``x`` (= deconvolution).

    ``g2`` is :func:`gy_rows` of ``gy`` when the caller already has it.
    """
    xp = get_array_module(gy)
    ksize = W.shape[2:]
    n, o = gy.shape[:2]
    outsize = gy.shape[2:]
    cg = W.shape[1]
    c = cg * groups
    og = o // groups
    K = 1
    for k in ksize:
        K *= k
    OUT = 1
    for s in outsize:
        OUT *= s
    shifts = None
    gpu_kernel = False
    if _big_gemm(c, K, n, groups):
        gpu_kernel = xp is not numpy and len(ksize) == 2
        if not gpu_kernel:
            shifts = _flat_shifts(tuple(insize), ksize, stride, pad, dilate, tuple(outsize))
    if gpu_kernel or shifts is not None:
        # one large GEMM W^T (C*K, O) x gy (O, N*OUT), then the columns are added back:
        # by one kernel on the GPU, by contiguous row adds on the CPU (stride 1, "same"
        # padding)
        if g2 is None:
            g2 = gy_rows(gy)
        if W.dtype == gy.dtype:
            gcol = _workspace(xp, "cols", (c * K, n * OUT), gy.dtype)
            xp.dot(W.reshape(o, c * K).T, g2, out=gcol)
        else:
            gcol = W.reshape(o, c * K).T.dot(g2)
        if gpu_kernel:
            return _conv_cuda.col2im_rows(gcol, n, c, tuple(insize), tuple(ksize), stride,
                                          pad, dilate, tuple(outsize))
        return _col2im_flat(gcol, n, tuple(insize), shifts)
    if cg >= 16 and K > 1:
        # one product per kernel offset, added straight into the padded image: the
        # (C*K, OUT) columns are never materialized, so far less memory traffic
        return _grad_x_by_offset(xp, gy.reshape(n, groups, og, OUT), W, stride, pad, dilate,
                                 insize, tuple(outsize))
    if groups == 1:
        gcol = xp.matmul(W.reshape(o, c * K).T, gy.reshape(n, o, OUT))
    else:
        Wg = W.reshape(groups, og, cg * K).swapaxes(1, 2)
        gcol = xp.matmul(Wg, gy.reshape(n, groups, og, OUT))
    gcol = gcol.reshape((n, c) + tuple(ksize) + tuple(outsize))
    return col2im(gcol, stride, pad, insize, dilate)


def _grad_x_by_offset(xp: Any, gy: Any, W: Any, stride: tuple, pad: tuple, dilate: tuple,
                      insize: tuple, outsize: tuple) -> Any:
    """``col2im(W^T gy)`` as a sum over kernel offsets; ``gy`` is ``(N, G, O/G, OUT)``."""
    n, groups, og = gy.shape[:3]
    cg = W.shape[1]
    ksize = W.shape[2:]
    nd = len(ksize)
    full = tuple(
        max(pad[i] + insize[i], (outsize[i] - 1) * stride[i] + (ksize[i] - 1) * dilate[i] + 1)
        for i in range(nd))
    img = xp.zeros((n, groups * cg) + full, gy.dtype)
    # (*ksize, G, C/G, O/G): each offset's filters, transposed, contiguous
    Wt = W.reshape((groups, og, cg) + tuple(ksize)).transpose(
        tuple(range(3, 3 + nd)) + (0, 2, 1))
    Wt = xp.ascontiguousarray(Wt)
    tmp = xp.empty((n, groups, cg, gy.shape[3]), gy.dtype)
    tmp_img = tmp.reshape((n, groups * cg) + outsize)
    for offs in itertools.product(*[range(k) for k in ksize]):
        xp.matmul(Wt[offs], gy, out=tmp)
        sl = (slice(None), slice(None)) + tuple(
            slice(offs[i] * dilate[i], offs[i] * dilate[i] + stride[i] * (outsize[i] - 1) + 1,
                  stride[i]) for i in range(nd))
        img[sl] += tmp_img
    return img[(slice(None), slice(None))
               + tuple(slice(pad[i], pad[i] + insize[i]) for i in range(nd))]


def conv_grad_w(x: Any, gy: Any, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple,
                groups: int, g2: Any = None, cols: Any = None) -> Any:
    """The gradient of :func:`conv_forward` with respect to ``W``: ``(O, C/groups, *k)``.

    ``g2`` is :func:`gy_rows` of ``gy`` and ``cols`` the forward's column matrix (from a
    :class:`ColumnCache`) when the caller already has them.
    """
    xp = get_array_module(x)
    outsize = gy.shape[2:]
    n, c = x.shape[:2]
    o = gy.shape[1]
    nd = len(ksize)
    K = 1
    for k in ksize:
        K *= k
    OUT = 1
    for s in outsize:
        OUT *= s
    cg = c // groups
    og = o // groups
    if _big_gemm(c, K, n, groups):
        # one GEMM over contiguous copies, as cols (C*K, N*OUT) x g2^T: OpenBLAS runs this
        # order about a third faster than g2 x cols^T
        if cols is None:
            cols = _big_cols(x, ksize, stride, pad, dilate, tuple(outsize))
        if g2 is None:
            g2 = gy_rows(gy)
        return cols.dot(g2.T).T.reshape((o, c) + tuple(ksize))
    col = im2col(x, ksize, stride, pad, dilate, outsize)
    if OUT >= og:
        # one batched GEMM per sample, summed: faster than a transposing copy of the columns
        colb = col.reshape(n, groups, cg * K, OUT)
        gW = xp.matmul(gy.reshape(n, groups, og, OUT), colb.swapaxes(2, 3)).sum(axis=0)
        return gW.reshape((o, cg) + tuple(ksize))
    if groups == 1:
        # one GEMM: (O, N*OUT) x (N*OUT, C*K)
        oaxes = tuple(range(2 + nd, 2 + 2 * nd))
        gW = xp.tensordot(gy, col, axes=((0,) + tuple(range(2, 2 + nd)), (0,) + oaxes))
        return gW.reshape((o, c) + tuple(ksize))
    colg = col.reshape((n, groups, cg * K, OUT)).transpose(1, 2, 0, 3).reshape(
        groups, cg * K, n * OUT)
    gyg = gy.reshape(n, groups, og, OUT).transpose(1, 2, 0, 3).reshape(groups, og, n * OUT)
    gW = xp.matmul(gyg, colg.swapaxes(1, 2))
    return gW.reshape((o, cg) + tuple(ksize))
