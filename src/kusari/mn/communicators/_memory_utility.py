"""Packing gradients into one contiguous buffer and back (the flat communicators' core)."""

from __future__ import annotations

from typing import Any

import numpy


def comm_dtype(params: list, attr: str = "grad") -> numpy.dtype:
    """The dtype a packed buffer uses: the widest float among the arrays, at least float32.

    (MPI has no half type, and float64 models keep their precision.)
    """
    dtype = numpy.dtype(numpy.float32)
    for p in params:
        a = getattr(p, attr)
        a = p.array if a is None else a
        if a.dtype.kind == "f" and a.dtype.itemsize > dtype.itemsize:
            dtype = a.dtype
    return dtype


class PackBuffer:
    """A reusable flat buffer (NumPy or CuPy) that grows on demand."""

    def __init__(self) -> None:
        self._buf: Any = None

    def get(self, n: int, dtype: Any, xp: Any) -> Any:
        """A length-``n`` view of the buffer in ``dtype`` on ``xp``'s device."""
        dtype = numpy.dtype(dtype)
        nbytes = max(n * dtype.itemsize, 1)
        buf = self._buf
        if buf is None or buf.nbytes < nbytes or not isinstance(buf, xp.ndarray):
            buf = self._buf = xp.empty(nbytes, numpy.uint8)
        return buf[:n * dtype.itemsize].view(dtype)

    def release(self) -> None:
        self._buf = None


def pack_grads(params: list, buf: Any) -> None:
    """Copy the gradients of ``params`` one after another into ``buf`` (zeros for None)."""
    offset = 0
    for p in params:
        n = p.array.size
        g = p.grad
        if g is None:
            buf[offset:offset + n] = 0
        else:
            buf[offset:offset + n] = g.reshape(-1)
        offset += n


def unpack_grads(params: list, buf: Any) -> None:
    """Write ``buf``'s pieces back as the gradients (in place where a gradient exists)."""
    offset = 0
    for p in params:
        n = p.array.size
        piece = buf[offset:offset + n].reshape(p.array.shape)
        g = p.grad
        if g is None:
            p.grad = piece.astype(p.array.dtype, copy=True)
        else:
            g[...] = piece
        offset += n
