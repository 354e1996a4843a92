"""Linear interpolation along one axis, and its transpose (shared by the resampling functions).

A 1-D linear interpolation from ``n_in`` to ``n_out`` samples is described by two index
arrays ``i0``, ``i1`` (length ``n_out``) and a weight ``w``: ``out[p] = a[i0[p]] * (1 - w[p])
+ a[i1[p]] * w[p]``; ``w is None`` means nearest (``out[p] = a[i0[p]]``). The transpose
scatters gradients back with ``add.at`` on flat indices (``cupyx.scatter_add`` on CuPy).
"""

from __future__ import annotations

from typing import Any

import numpy


def scatter_add(xp: Any, out: Any, idx: Any, vals: Any) -> None:
    """``out[idx] += vals`` with repeated indices accumulating (in place)."""
    if xp is numpy:
        numpy.add.at(out, idx, vals)
    else:
        import cupyx

        cupyx.scatter_add(out, idx, vals)


def lerp_axis(a: Any, axis: int, i0: Any, i1: Any, w: Any) -> Any:
    """Interpolate ``a`` along ``axis`` (``w`` already in ``a``'s dtype and array module)."""
    xp = numpy if isinstance(a, numpy.ndarray) else __import__("cupy")
    axis = axis % a.ndim
    lo = xp.take(a, i0, axis=axis)
    if w is None:
        return lo
    shape = (-1,) + (1,) * (a.ndim - axis - 1)
    w = w.reshape(shape)
    hi = xp.take(a, i1, axis=axis)
    hi -= lo
    hi *= w
    hi += lo
    return hi


def lerp_axis_transpose(g: Any, axis: int, n_in: int, i0: Any, i1: Any, w: Any) -> Any:
    """The adjoint of :func:`lerp_axis`: ``g`` has ``n_out`` entries along ``axis``."""
    xp = numpy if isinstance(g, numpy.ndarray) else __import__("cupy")
    axis = axis % g.ndim
    gl = xp.ascontiguousarray(xp.moveaxis(g, axis, -1))
    lead = gl.shape[:-1]
    rows = gl.size // gl.shape[-1] if gl.size else 0
    out = xp.zeros(rows * n_in, g.dtype)
    base = xp.arange(rows, dtype=i0.dtype)[:, None] * n_in
    gl = gl.reshape(rows, -1)
    if w is None:
        scatter_add(xp, out, (base + i0).ravel(), gl.ravel())
    else:
        hi = gl * w
        scatter_add(xp, out, (base + i1).ravel(), hi.ravel())
        scatter_add(xp, out, (base + i0).ravel(), (gl - hi).ravel())
    return xp.moveaxis(out.reshape(lead + (n_in,)), -1, axis)
