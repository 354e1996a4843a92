"""Bilinear resampling filters for (de)convolution weights."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer, _fill


def _linear_filter(size: int, ndim: int, upsampling: bool) -> numpy.ndarray:
    """The separable tent filter of ``size`` taps in ``ndim`` dimensions."""
    factor = (size + 1) // 2
    center = factor - 1.0 if size % 2 == 1 else factor - 0.5
    tent = 1.0 - numpy.abs(numpy.arange(size) - center) / factor
    filt = numpy.ones((size,) * ndim)
    for axis in range(ndim):
        filt = filt * tent.reshape((size,) + (1,) * (ndim - 1 - axis))
    if not upsampling:
        filt /= filt.sum()
    return filt


class _SamplingFilter(Initializer):
    def __init__(self, upsampling: bool, interpolation: str, dtype: Any) -> None:
        if interpolation != "linear":
            raise ValueError(f"Unsupported interpolation method: {interpolation}")
        self._upsampling = upsampling
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        in_c, out_c = array.shape[:2]
        if not (in_c == out_c or out_c == 1):
            raise AssertionError(f"channels must match or out be 1: {in_c}, {out_c}")
        ksizes = set(array.shape[2:])
        if len(ksizes) > 1:
            raise ValueError(f"ksize must be all same: {array.shape[2:]}")
        filt = _linear_filter(array.shape[2], array.ndim - 2, self._upsampling)
        host = numpy.zeros(array.shape)
        idx = numpy.arange(in_c)
        host[idx, 0 if out_c == 1 else idx] = filt
        _fill(array, host)


class UpsamplingDeconvFilter(_SamplingFilter):
    """Bilinear upsampling kernel for a deconvolution ``(in, out, k, ..., k)`` weight.

    Args:
        interpolation: Only ``'linear'``.
        dtype: Optional dtype.
    """

    def __init__(self, interpolation: str = "linear", dtype: Any = None) -> None:
        super().__init__(True, interpolation, dtype)


class DownsamplingConvFilter(_SamplingFilter):
    """Normalized bilinear downsampling kernel for a convolution weight.

    Args:
        interpolation: Only ``'linear'``.
        dtype: Optional dtype.
    """

    def __init__(self, interpolation: str = "linear", dtype: Any = None) -> None:
        super().__init__(False, interpolation, dtype)
