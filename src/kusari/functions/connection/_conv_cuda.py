"""Column building for 2-D convolutions in one CUDA kernel each, for CuPy arrays.

The large-GEMM convolution multiplies the filter by a ``(C * kh * kw, N * OUT)`` column
matrix (rows ordered ``(c, ky, kx)``, columns ``(n, oy, ox)``). The generic path builds it
with a copy per kernel offset plus border masking, a few dozen launches on the GPU;
:func:`im2col_rows` builds it in one, and :func:`col2im_rows` adds it back into an image in
one (each pixel gathers the columns that read it, so no atomics are needed).

Arrays are allocated with the input's array module, so the kernels also run under
``tests/_cuda_emulator.py`` on NumPy arrays.
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.backend import get_array_module
from kusari.backends import cuda

_GEOMETRY = ("int32 n, int32 c, int32 h, int32 w, int32 out_h, int32 out_w, int32 kh, "
             "int32 kw, int32 sy, int32 sx, int32 ph, int32 pw, int32 dy, int32 dx")

_IM2COL = """
ptrdiff_t ox = i % out_w;
ptrdiff_t oy = i / out_w % out_h;
ptrdiff_t nn = i / ((ptrdiff_t)out_w * out_h) % n;
ptrdiff_t kx = i / ((ptrdiff_t)out_w * out_h * n) % kw;
ptrdiff_t ky = i / ((ptrdiff_t)out_w * out_h * n * kw) % kh;
ptrdiff_t cc = i / ((ptrdiff_t)out_w * out_h * n * kw * kh);
ptrdiff_t yy = ky * dy + oy * sy - ph;
ptrdiff_t xx = kx * dx + ox * sx - pw;
col = (yy >= 0 && yy < h && xx >= 0 && xx < w) ? x[((nn * c + cc) * h + yy) * w + xx] : (T)0;
"""

_COL2IM = """
ptrdiff_t xx = i % w + pw;
ptrdiff_t yy = i / w % h + ph;
ptrdiff_t cc = i / ((ptrdiff_t)w * h) % c;
ptrdiff_t nn = i / ((ptrdiff_t)w * h * c);
T val = 0;
for (int ky = 0; ky < kh; ++ky) {
  ptrdiff_t ty = yy - ky * dy;
  if (ty < 0 || ty % sy != 0) continue;
  ptrdiff_t oy = ty / sy;
  if (oy >= out_h) continue;
  for (int kx = 0; kx < kw; ++kx) {
    ptrdiff_t tx = xx - kx * dx;
    if (tx < 0 || tx % sx != 0) continue;
    ptrdiff_t ox = tx / sx;
    if (ox >= out_w) continue;
    val += col[(((cc * kh + ky) * kw + kx) * n + nn) * out_h * out_w + oy * out_w + ox];
  }
}
img = val;
"""


def _geometry(n: int, c: int, insize: tuple, outsize: tuple, ksize: tuple, stride: tuple,
              pad: tuple, dilate: tuple) -> tuple:
    v = (n, c, insize[0], insize[1], outsize[0], outsize[1], ksize[0], ksize[1], stride[0],
         stride[1], pad[0], pad[1], dilate[0], dilate[1])
    return tuple(numpy.int32(a) for a in v)


def im2col_rows(x: Any, ksize: tuple, stride: tuple, pad: tuple, dilate: tuple,
                outsize: tuple) -> Any:
    """The ``(C * kh * kw, N * OUT)`` column matrix of ``x`` ``(N, C, H, W)``."""
    xp = get_array_module(x)
    n, c, h, w = x.shape
    K = ksize[0] * ksize[1]
    cols = xp.empty((c * K, n * outsize[0] * outsize[1]), x.dtype)
    cuda.elementwise("raw T x, " + _GEOMETRY, "T col", _IM2COL, "kusari_im2col_rows")(
        xp.ascontiguousarray(x), *_geometry(n, c, (h, w), outsize, ksize, stride, pad, dilate),
        cols)
    return cols


def col2im_rows(cols: Any, n: int, c: int, insize: tuple, ksize: tuple, stride: tuple,
                pad: tuple, dilate: tuple, outsize: tuple) -> Any:
    """The adjoint of :func:`im2col_rows`: columns added back into ``(N, C, H, W)``."""
    xp = get_array_module(cols)
    img = xp.empty((n, c) + tuple(insize), cols.dtype)
    cuda.elementwise("raw T col, " + _GEOMETRY, "T img", _COL2IM, "kusari_col2im_rows")(
        xp.ascontiguousarray(cols), *_geometry(n, c, insize, outsize, ksize, stride, pad,
                                                dilate), img)
    return img
