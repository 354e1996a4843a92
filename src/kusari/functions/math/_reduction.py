"""Axis handling shared by the reductions (max, min, prod, logsumexp, cumsum...)."""

from __future__ import annotations

from typing import Any

from kusari.utils import type_check


def normalize_axis(axis: Any, fname: str) -> tuple | None:
    """``axis`` as a tuple of ints (or None), rejecting other types and duplicates.

    Raises:
        TypeError: ``axis`` is not None, an int or a tuple of ints.
        ValueError: ``axis`` repeats an axis.
    """
    if axis is None:
        return None
    if isinstance(axis, int):
        return (axis,)
    if isinstance(axis, tuple) and all(isinstance(a, int) for a in axis):
        if len(set(axis)) != len(axis):
            raise ValueError(f"duplicate value in axis: ({', '.join(map(str, axis))})")
        return axis
    raise TypeError(f"{fname}: axis must be None, int or tuple of ints, got {axis!r}")


def check_float_and_axes(in_types: Any, axes: tuple | None) -> None:
    """Chainer's check of a float input reduced over ``axes``: each axis in range."""
    type_check.argname(in_types, ("x",))
    x = in_types[0]
    type_check.expect(x.dtype.kind == "f")
    if axes is not None:
        for a in axes:
            if a >= 0:
                type_check.expect(a < x.ndim)
            else:
                type_check.expect(-a - 1 < x.ndim)


def axes_ok(x: Any, axes: tuple | None) -> bool:
    """True when ``x`` is float and every axis is in range (the cheap check)."""
    if x.dtype.kind != "f":
        return False
    return axes is None or all(-x.ndim <= a < x.ndim for a in axes)


def keepdims_shape(shape: tuple, axes: tuple | None) -> tuple:
    """The reduced shape with the reduced axes kept as length one."""
    if axes is None:
        return (1,) * len(shape)
    ax = {a % len(shape) for a in axes}
    return tuple(1 if i in ax else s for i, s in enumerate(shape))
