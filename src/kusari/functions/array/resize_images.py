"""Resize images by bilinear or nearest-neighbour interpolation."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.array._interp import lerp_axis, lerp_axis_transpose
from kusari.utils import type_check

_MODES = ("bilinear", "nearest")


def _axis_plan(n_out: int, n_in: int, mode: str, align_corners: bool) -> tuple:
    """Host arrays ``(i0, i1, w)`` sampling ``n_in`` points at ``n_out`` positions.

    ``w`` is the float64 fraction towards ``i1`` (``None`` for nearest).
    """
    if mode == "nearest":
        pos = numpy.floor(numpy.arange(n_out, dtype=numpy.float64) * (n_in / n_out))
        i0 = numpy.minimum(pos, n_in - 1).astype(numpy.intp)
        return i0, None, None
    if align_corners:
        pos = numpy.linspace(0, n_in - 1, num=n_out, dtype=numpy.float64)
    else:
        pos = (numpy.arange(n_out, dtype=numpy.float64) + 0.5) * (n_in / n_out) - 0.5
        pos = numpy.maximum(pos, 0.0)
    w, base = numpy.modf(pos)
    i0 = base.astype(numpy.intp)
    i1 = numpy.minimum(i0 + 1, n_in - 1)
    return i0, i1, w


class _Resampler:
    """The separable resampling of one ``(H, W) -> (out_H, out_W)`` geometry."""

    def __init__(self, in_hw: tuple, out_hw: tuple, mode: str, align_corners: bool) -> None:
        self.in_hw = in_hw
        self.out_hw = out_hw
        self.plans = [_axis_plan(o, i, mode, align_corners) for o, i in zip(out_hw, in_hw)]

    def _on(self, xp: Any, dtype: Any) -> list:
        out = []
        for i0, i1, w in self.plans:
            if xp is not numpy:
                i0 = xp.asarray(i0)
                i1 = None if i1 is None else xp.asarray(i1)
            out.append((i0, i1, None if w is None else xp.asarray(w.astype(dtype))))
        return out

    def forward(self, x: Any) -> Any:
        xp = get_array_module(x)
        (v0, v1, vw), (u0, u1, uw) = self._on(xp, x.dtype)
        t = lerp_axis(x, 2, v0, v1, vw)
        return lerp_axis(t, 3, u0, u1, uw)

    def transpose(self, gy: Any) -> Any:
        xp = get_array_module(gy)
        (v0, v1, vw), (u0, u1, uw) = self._on(xp, gy.dtype)
        gt = lerp_axis_transpose(gy, 3, self.in_hw[1], u0, u1, uw)
        return xp.ascontiguousarray(lerp_axis_transpose(gt, 2, self.in_hw[0], v0, v1, vw))


def _check_4d_float32(in_types: Any, name: str) -> None:
    type_check.argname(in_types, (name,))
    t = in_types[0]
    type_check.expect(t.dtype == numpy.float32, t.ndim == 4)


def _fast_ok(in_data: tuple) -> bool:
    x = in_data[0]
    return x.dtype == numpy.float32 and x.ndim == 4


class ResizeImages(FunctionNode):
    """Resample ``(n, c, h, w)`` images to ``(n, c, out_h, out_w)``."""

    _fast_check = staticmethod(_fast_ok)

    def __init__(self, output_shape: tuple, mode: str, align_corners: bool) -> None:
        if mode not in _MODES:
            raise ValueError(f"resize_images: mode must be 'bilinear' or 'nearest', got {mode!r}")
        self.out_H, self.out_W = (int(s) for s in output_shape)
        self.mode = mode
        self.align_corners = align_corners

    def check_type_forward(self, in_types: Any) -> None:
        _check_4d_float32(in_types, "x")

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._in_shape = x.shape
        self._resampler = _Resampler(x.shape[2:], (self.out_H, self.out_W), self.mode,
                                     self.align_corners)
        return self._resampler.forward(x),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ResizeImagesGrad(self._resampler).apply(grad_outputs)


class ResizeImagesGrad(FunctionNode):
    """The transpose of :class:`ResizeImages` (itself differentiable: it is linear)."""

    _fast_check = staticmethod(_fast_ok)

    def __init__(self, resampler: _Resampler) -> None:
        self._resampler = resampler

    def check_type_forward(self, in_types: Any) -> None:
        _check_4d_float32(in_types, "gy")

    def forward(self, inputs: tuple) -> tuple:
        return self._resampler.transpose(inputs[0]),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return _ResizeImagesApply(self._resampler).apply(grad_outputs)


class _ResizeImagesApply(FunctionNode):
    """:class:`ResizeImages` with a fixed geometry (the gradient of its transpose)."""

    _fast_check = staticmethod(_fast_ok)

    def __init__(self, resampler: _Resampler) -> None:
        self._resampler = resampler

    def check_type_forward(self, in_types: Any) -> None:
        _check_4d_float32(in_types, "x")

    def forward(self, inputs: tuple) -> tuple:
        return self._resampler.forward(inputs[0]),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return ResizeImagesGrad(self._resampler).apply(grad_outputs)


def resize_images(x: Any, output_shape: tuple, *, mode: str = "bilinear",
                  align_corners: bool = True) -> variable.Variable:
    """Resize images ``(n, c, h, w)`` to ``(n, c, h_O, w_O)``.

    Bilinear mode samples the input at fractional positions ``p`` per axis and blends the
    two neighbours: :math:`y = (1 - f) x_{\\lfloor p \\rfloor} + f x_{\\lfloor p \\rfloor + 1}`
    with :math:`f = p - \\lfloor p \\rfloor`, separably in height and width. With
    ``align_corners`` the corner pixels of input and output coincide
    (:math:`p = i (h - 1) / (h_O - 1)`); without it, pixel centres are aligned as in OpenCV
    (:math:`p = \\max((i + 0.5) h / h_O - 0.5, 0)`). Nearest mode takes
    :math:`x_{\\lfloor i h / h_O \\rfloor}`.

    Args:
        x: Variable or array of shape ``(n, c, h, w)``, float32.
        output_shape: ``(h_O, w_O)`` (height first, unlike OpenCV).
        mode: ``'bilinear'`` or ``'nearest'``.
        align_corners: Map corners to corners (bilinear mode only).

    Returns:
        A Variable of shape ``(n, c, h_O, w_O)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not a 4-d float32 array.
        ValueError: ``mode`` is unknown.

    Example:
        >>> import numpy
        >>> x = numpy.array([[[[0.0, 1.0]]]], numpy.float32)
        >>> resize_images(x, (1, 3)).array.tolist()
        [[[[0.0, 0.5, 1.0]]]]
    """
    return ResizeImages(output_shape, mode, align_corners).apply((x,))[0]
