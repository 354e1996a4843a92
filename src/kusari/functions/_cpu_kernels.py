"""NumPy formulations of hot elementwise operations that run on NumPy's SIMD loops.

NumPy 2 vectorizes ``maximum`` only when both operands are arrays (a scalar operand
takes a scalar loop about three times slower), and multiplying by a boolean mask casts
element by element. These helpers take the fast loops for large float arrays and fall
back to the plain expression otherwise (other dtypes, small or non-contiguous arrays).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy

#: Below this many elements the plain expression is as fast.
_MIN_SIZE = 4096
#: The largest zero buffer kept per dtype (elements); larger inputs take the plain path.
_MAX_ZEROS = 1 << 22

_lock = threading.Lock()
_zeros: dict = {}


def _zeros_for(x: numpy.ndarray) -> numpy.ndarray | None:
    """A read-only zero array shaped like ``x`` (a view of a cached buffer), or None."""
    n = x.size
    if n > _MAX_ZEROS:
        return None
    buf = _zeros.get(x.dtype)
    if buf is None or buf.size < n:
        with _lock:
            buf = _zeros.get(x.dtype)
            if buf is None or buf.size < n:
                size = 1 << max(n - 1, 1).bit_length()
                buf = numpy.zeros(min(size, _MAX_ZEROS), x.dtype)
                buf.flags.writeable = False
                _zeros[x.dtype] = buf
    return buf[:n].reshape(x.shape)


def _fast(x: Any) -> bool:
    return (type(x) is numpy.ndarray and x.dtype.kind == "f" and x.dtype.itemsize >= 4
            and x.size >= _MIN_SIZE and x.flags.c_contiguous)


def relu(x: Any) -> Any:
    """``max(x, 0)`` in ``x``'s dtype (NaN propagates)."""
    if _fast(x):
        z = _zeros_for(x)
        if z is not None:
            return numpy.maximum(x, z)
    return numpy.maximum(x, 0, dtype=x.dtype)


def mask_mul(g: Any, mask: Any) -> Any:
    """``g * mask`` for a boolean ``mask`` of ``g``'s shape, in ``g``'s dtype."""
    if _fast(g) and mask.shape == g.shape:
        out = numpy.empty_like(g)
        numpy.copyto(out, mask)  # the bool-to-float cast on a SIMD loop
        return numpy.multiply(out, g, out=out)
    return g * mask


def relu_grad(g: Any, y: Any) -> Any:
    """``g * (y > 0)`` in ``g``'s dtype (the gradient of :func:`relu` from its output)."""
    return mask_mul(g, y > 0)
