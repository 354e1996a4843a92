"""Discrete Fourier transforms over the last axis, on (real, imaginary) pairs."""

from __future__ import annotations

from typing import Any

from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class FFT(FunctionNode):
    """``fft`` or ``ifft`` of ``real + 1j * imag`` along the last axis.

    The transform is linear with adjoint ``n * ifft`` (for ``fft``) or ``fft / n``
    (for ``ifft``); that is its gradient.
    """

    _fast_check = staticmethod(_fast_check.float_same_shape)

    def __init__(self, method: str) -> None:
        self._method = method

    @property
    def label(self) -> str:
        return self._method

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("real", "imag"))
        r, i = in_types
        type_check.expect(
            r.dtype.kind == "f",
            r.ndim > 0,
            r.shape == i.shape,
            i.dtype == r.dtype,
        )

    def forward(self, inputs: tuple) -> tuple:
        real, imag = inputs
        xp = get_array_module(real)
        y = getattr(xp.fft, self._method)(real + 1j * imag)
        return y.real.astype(real.dtype), y.imag.astype(real.dtype)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gr, gi = grad_outputs
        n = gr.shape[-1] if gr is not None else gi.shape[-1]
        ref = gr if gr is not None else gi
        xp = get_array_module(ref.array)
        if gr is None:
            gr = xp.zeros_like(gi.array)
        if gi is None:
            gi = xp.zeros_like(gr.array)
        inverse = "ifft" if self._method == "fft" else "fft"
        xr, xi = FFT(inverse).apply((gr, gi))
        scale = float(n) if self._method == "fft" else 1.0 / n
        return tuple((xr if i == 0 else xi) * scale for i in indexes)


def fft(x: tuple) -> tuple:
    """Fast Fourier transform over the last axis.

    Args:
        x: A pair ``(real, imag)`` of float Variables or arrays of one shape and dtype.

    Returns:
        The pair ``(real, imag)`` of the transform.

    Raises:
        kusari.utils.type_check.InvalidType: The parts differ in shape or dtype, or are
            0-dimensional.

    Example:
        >>> import numpy
        >>> r, i = fft((numpy.ones(4, numpy.float32), numpy.zeros(4, numpy.float32)))
        >>> r.array.tolist()
        [4.0, 0.0, 0.0, 0.0]
    """
    real, imag = x
    return FFT("fft").apply((real, imag))


def ifft(x: tuple) -> tuple:
    """Inverse fast Fourier transform over the last axis (see :func:`fft`).

    Example:
        >>> import numpy
        >>> r, i = ifft((numpy.full(4, 4.0, numpy.float32), numpy.zeros(4, numpy.float32)))
        >>> r.array.tolist()
        [4.0, 0.0, 0.0, 0.0]
    """
    real, imag = x
    return FFT("ifft").apply((real, imag))
