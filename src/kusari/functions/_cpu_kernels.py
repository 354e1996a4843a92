"""NumPy formulations of hot elementwise operations that run on NumPy's SIMD loops.

NumPy 2 vectorizes ``maximum`` only when both operands are arrays (a scalar operand
takes a scalar loop about three times slower), and multiplying by a boolean mask casts
element by element. These helpers take the fast loops for large float arrays, in chunks
that stay in the CPU cache (so a two-pass formulation reads memory once), and fall back to
the plain expression otherwise (other dtypes, small or non-contiguous arrays).
"""

from __future__ import annotations

from typing import Any

import numpy

#: Below this many elements the plain expression is as fast.
_MIN_SIZE = 4096
#: Elements per chunk: the chunk's operands and temporaries stay in the L2 cache.
CHUNK = 1 << 15

_zeros = {dt: numpy.zeros(CHUNK, dt) for dt in (numpy.dtype(numpy.float32),
                                                numpy.dtype(numpy.float64))}
for _z in _zeros.values():
    _z.flags.writeable = False


def _fast(x: Any) -> bool:
    return (type(x) is numpy.ndarray and x.dtype in _zeros and x.size >= _MIN_SIZE
            and x.flags.c_contiguous)


def relu(x: Any) -> Any:
    """``max(x, 0)`` in ``x``'s dtype (NaN propagates).

    Example:
        >>> relu(numpy.array([-1.0, 2.0], numpy.float32))
        array([0., 2.], dtype=float32)
    """
    if not _fast(x):
        return numpy.maximum(x, 0, dtype=x.dtype)
    y = numpy.empty_like(x)
    xf, yf, z = x.reshape(-1), y.reshape(-1), _zeros[x.dtype]
    for s, e in _chunks(x.size):
        numpy.maximum(xf[s:e], z[:e - s], out=yf[s:e])
    return y


def _chunks(n: int) -> Any:
    """``(start, stop)`` of each cache-sized chunk of ``n`` elements."""
    for s in range(0, n, CHUNK):
        yield s, min(s + CHUNK, n)


def _times_mask(g: Any, mask_chunk: Any) -> Any:
    """``g * mask`` chunk by chunk, where ``mask_chunk(s, e)`` is the boolean mask of flat
    elements ``s`` to ``e``: the bool-to-float cast runs on a SIMD copy, not per product."""
    out = numpy.empty_like(g)
    gf, of = g.reshape(-1), out.reshape(-1)
    for s, e in _chunks(g.size):
        o = of[s:e]
        numpy.copyto(o, mask_chunk(s, e))
        numpy.multiply(o, gf[s:e], out=o)
    return out


def mask_mul(g: Any, mask: Any) -> Any:
    """``g * mask`` for a boolean ``mask`` of ``g``'s shape, in ``g``'s dtype.

    Example:
        >>> mask_mul(numpy.array([3.0, 4.0]), numpy.array([True, False]))
        array([3., 0.])
    """
    if not (_fast(g) and mask.shape == g.shape and mask.flags.c_contiguous):
        return g * mask
    mf = mask.reshape(-1)
    return _times_mask(g, lambda s, e: mf[s:e])


def relu_grad(g: Any, y: Any) -> Any:
    """``g * (y > 0)`` in ``g``'s dtype (the gradient of :func:`relu` from its output).

    Example:
        >>> relu_grad(numpy.array([3.0, 4.0]), numpy.array([1.0, 0.0]))
        array([3., 0.])
    """
    if not (_fast(g) and y.shape == g.shape and y.flags.c_contiguous):
        return g * (y > 0)
    yf = y.reshape(-1)
    m = numpy.empty(min(CHUNK, g.size), bool)
    return _times_mask(g, lambda s, e: numpy.greater(yf[s:e], 0, out=m[:e - s]))
