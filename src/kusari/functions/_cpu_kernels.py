"""NumPy formulations of hot elementwise operations that run on NumPy's SIMD loops.

NumPy 2 vectorizes ``maximum`` only when both operands are arrays (a scalar operand
takes a scalar loop about three times slower). :func:`relu` takes the fast loop for large
float arrays, in chunks that stay in the CPU cache, and falls back to the plain
expression otherwise (other dtypes, small or non-contiguous arrays).
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


#: A zero scalar of each float dtype: ``maximum`` against a same-dtype scalar skips the
#: Python-int conversion (0.38 against 0.52 us on a small array).
_scalar_zeros = {numpy.dtype(dt): numpy.dtype(dt).type(0)
                 for dt in (numpy.float16, numpy.float32, numpy.float64)}


def relu(x: Any) -> Any:
    """``max(x, 0)`` in ``x``'s dtype (NaN propagates), always an array (also for 0-d).

    Example:
        >>> relu(numpy.array([-1.0, 2.0], numpy.float32))
        array([0., 2.], dtype=float32)
    """
    dt = x.dtype
    if x.size < _MIN_SIZE or dt not in _zeros or not x.flags.c_contiguous:
        z = _scalar_zeros.get(dt)
        y = numpy.maximum(x, 0, dtype=dt) if z is None else numpy.maximum(x, z)
        return y if type(y) is numpy.ndarray else numpy.asarray(y)
    y = numpy.empty_like(x)
    xf, yf, z = x.reshape(-1), y.reshape(-1), _zeros[dt]
    for s, e in _chunks(x.size):
        numpy.maximum(xf[s:e], z[:e - s], out=yf[s:e])
    return y


def _chunks(n: int) -> Any:
    """``(start, stop)`` of each cache-sized chunk of ``n`` elements."""
    for s in range(0, n, CHUNK):
        yield s, min(s + CHUNK, n)


def relu_grad(g: Any, y: Any) -> Any:
    """``g * (y > 0)`` in ``g``'s dtype (the gradient of :func:`relu` from its output),
    for NumPy and CuPy arrays alike.

    The plain expression: NumPy 2's float-times-bool loop measured faster than a
    chunked cast-then-multiply at every size (0.4k to 1.6M elements).

    Example:
        >>> relu_grad(numpy.array([3.0, 4.0]), numpy.array([1.0, 0.0]))
        array([3., 0.])
    """
    return g * (y > 0)
