"""One CUDA kernel per max-pooling step (2-D windows), for CuPy arrays.

The generic path loops over window offsets with several array operations each; on the
GPU that is a dozen kernel launches per pooling. These kernels do each step in one
launch, with the CPU path's semantics: padding reads ``-inf``, the index is the flat
in-window position of the first strict maximum, NaN propagates to the output.

Arrays are allocated with the input's array module, so the kernels also run under
``tests/_cuda_emulator.py`` on NumPy arrays.
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.backend import get_array_module
from kusari.backends import cuda

_GEOMETRY = ("int32 h, int32 w, int32 out_h, int32 out_w, int32 kh, int32 kw, "
             "int32 sy, int32 sx, int32 ph, int32 pw")

_FORWARD = """
ptrdiff_t c0 = i / (out_h * out_w);
int oy = i / out_w % out_h;
int ox = i % out_w;
int y0 = oy * sy - ph, x0 = ox * sx - pw;
T best = (T)0;
int arg = 0;
for (int ky = 0; ky < kh; ++ky) {
  int yy = y0 + ky;
  for (int kx = 0; kx < kw; ++kx) {
    int xx = x0 + kx;
    T v = (yy >= 0 && yy < h && xx >= 0 && xx < w) ? x[(c0 * h + yy) * w + xx]
                                                   : (T)(-INFINITY);
    int k = ky * kw + kx;
    if (k == 0) { best = v; }
    else if (v > best) { best = v; arg = k; }
    else if (isnan(v)) { best = v; }
  }
}
y = best;
idx = arg;
"""

_SCATTER = """
ptrdiff_t c0 = i / (h * w);
int yy = i / w % h + ph;
int xx = i % w + pw;
int oy0 = yy < kh ? 0 : (yy - kh) / sy + 1;
int oy1 = min(yy / sy + 1, out_h);
int ox0 = xx < kw ? 0 : (xx - kw) / sx + 1;
int ox1 = min(xx / sx + 1, out_w);
T val = 0;
for (int oy = oy0; oy < oy1; ++oy) {
  int ky = yy - oy * sy;
  for (int ox = ox0; ox < ox1; ++ox) {
    ptrdiff_t o = (c0 * out_h + oy) * out_w + ox;
    if (idx[o] == ky * kw + (xx - ox * sx)) val += gy[o];
  }
}
gx = val;
"""

_GATHER = """
ptrdiff_t c0 = i / (out_h * out_w);
int oy = i / out_w % out_h;
int ox = i % out_w;
int yy = oy * sy - ph + idx / kw;
int xx = ox * sx - pw + idx % kw;
y = (yy >= 0 && yy < h && xx >= 0 && xx < w) ? x[(c0 * h + yy) * w + xx] : (T)0;
"""


def _geometry(insize: tuple, out: tuple, ksize: tuple, stride: tuple, pad: tuple) -> tuple:
    return (numpy.int32(insize[0]), numpy.int32(insize[1]), numpy.int32(out[0]),
            numpy.int32(out[1]), numpy.int32(ksize[0]), numpy.int32(ksize[1]),
            numpy.int32(stride[0]), numpy.int32(stride[1]), numpy.int32(pad[0]),
            numpy.int32(pad[1]))


def max_forward(x: Any, ksize: tuple, stride: tuple, pad: tuple, out: tuple,
                index_dtype: Any) -> tuple:
    """Window maxima of ``x`` ``(N, C, H, W)`` and the in-window index of each."""
    xp = get_array_module(x)
    n, c, h, w = x.shape
    y = xp.empty((n, c) + tuple(out), x.dtype)
    idx = xp.empty(y.shape, index_dtype)
    cuda.elementwise("raw T x, " + _GEOMETRY, "T y, S idx", _FORWARD,
                     "kusari_max_pool_2d_fwd")(
        xp.ascontiguousarray(x), *_geometry((h, w), out, ksize, stride, pad), y, idx)
    return y, idx


def max_scatter(gy: Any, idx: Any, ksize: tuple, stride: tuple, pad: tuple,
                insize: tuple) -> Any:
    """Each ``gy`` added at the position its window's maximum came from."""
    xp = get_array_module(gy)
    n, c = gy.shape[:2]
    gx = xp.empty((n, c) + tuple(insize), gy.dtype)
    cuda.elementwise("raw T gy, raw S idx, " + _GEOMETRY, "T gx", _SCATTER,
                     "kusari_max_pool_2d_bwd")(
        xp.ascontiguousarray(gy), xp.ascontiguousarray(idx),
        *_geometry(tuple(insize), gy.shape[2:], ksize, stride, pad), gx)
    return gx


def max_gather(x: Any, idx: Any, ksize: tuple, stride: tuple, pad: tuple) -> Any:
    """The element of each window of ``x`` chosen by ``idx`` (zero in the padding)."""
    xp = get_array_module(x)
    y = xp.empty(idx.shape, x.dtype)
    cuda.elementwise("raw T x, S idx, " + _GEOMETRY, "T y", _GATHER,
                     "kusari_max_pool_2d_gather")(
        xp.ascontiguousarray(x), idx, *_geometry(x.shape[2:], idx.shape[2:], ksize, stride,
                                                  pad), y)
    return y
