"""Random draws through ``xp.random`` of the parameters' array module, in Chainer's
call order (one call per sample, over the whole ``(n,) + batch_shape`` block)."""

from __future__ import annotations

from typing import Any

import numpy


def draw(xp: Any, name: str, *args: Any, size: tuple, dtype: Any,
         float_dtype: bool = True) -> Any:
    """``xp.random.<name>(*args, size=size)`` as an array of ``dtype``.

    NumPy draws in float64 (or int64) and the result is cast; CuPy is asked for
    ``dtype`` directly (float32 for float16, which its generators lack) when
    ``float_dtype`` is true, and casts otherwise.
    """
    fn = getattr(xp.random, name)
    if xp is numpy or not float_dtype:
        return fn(*args, size=size).astype(dtype, copy=False)
    gen = numpy.float32 if numpy.dtype(dtype) == numpy.float16 else dtype
    return fn(*args, size=size, dtype=gen).astype(dtype, copy=False)
