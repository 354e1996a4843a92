"""Tensor dot product over chosen axes, like ``numpy.tensordot``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _normalize_axes(axes: Any, a_ndim: int, b_ndim: int) -> tuple:
    if isinstance(axes, (int, numpy.integer)):
        n = int(axes)
        if n < 0 or n > a_ndim or n > b_ndim:
            raise ValueError(f"tensordot: axes={n} exceeds the operand dimensions")
        return tuple(range(a_ndim - n, a_ndim)), tuple(range(n))
    if len(axes) != 2:
        raise ValueError("tensordot: axes must be an int or a pair of axis sequences")
    a_axes, b_axes = axes
    a_axes = (a_axes,) if isinstance(a_axes, (int, numpy.integer)) else tuple(a_axes)
    b_axes = (b_axes,) if isinstance(b_axes, (int, numpy.integer)) else tuple(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError("tensordot: the two axis sequences must have the same length")
    return (tuple(int(a) % a_ndim for a in a_axes),
            tuple(int(b) % b_ndim for b in b_axes))


class TensorDot(FunctionNode):
    """Contract ``a``'s ``a_axes`` with ``b``'s ``b_axes``; result axes are ``a``'s free
    axes then ``b``'s."""

    _fast_check = staticmethod(_fast_check.float_inputs)

    def __init__(self, axes: Any = 2) -> None:
        self.axes = axes

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("a", "b"))
        a, b = in_types
        type_check.expect(a.dtype.kind == "f", b.dtype.kind == "f")

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        a, b = inputs
        self._a_axes, self._b_axes = _normalize_axes(self.axes, a.ndim, b.ndim)
        for i, j in zip(self._a_axes, self._b_axes):
            if a.shape[i] != b.shape[j]:
                raise ValueError(f"shape mismatch: tensordot contracts a.shape[{i}] = "
                                 f"{a.shape[i]} with b.shape[{j}] = {b.shape[j]}")
        y = get_array_module(a).tensordot(a, b, (self._a_axes, self._b_axes))
        return y.astype(a.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.transpose import transpose

        a, b = self.get_retained_inputs()
        gy, = grad_outputs
        a_free = [i for i in range(a.ndim) if i not in self._a_axes]
        b_free = [i for i in range(b.ndim) if i not in self._b_axes]
        na = len(a_free)
        gy_a = tuple(range(na))
        gy_b = tuple(range(na, gy.ndim))
        ret = []
        if 0 in indexes:
            # ga's axes: a's free axes, then b's contracted axes in ascending order (each
            # standing for the a axis it was paired with)
            ga = tensordot(gy, b, (gy_b, tuple(b_free)))
            pair = dict(zip(self._b_axes, self._a_axes))
            order = a_free + [pair[j] for j in sorted(self._b_axes)]
            ret.append(transpose(ga, tuple(numpy.argsort(order).tolist())))
        if 1 in indexes:
            gb = tensordot(a, gy, (tuple(a_free), gy_a))
            pair = dict(zip(self._a_axes, self._b_axes))
            order = [pair[i] for i in sorted(self._a_axes)] + b_free
            ret.append(transpose(gb, tuple(numpy.argsort(order).tolist())))
        return tuple(ret)


def tensordot(a: Any, b: Any, axes: int | tuple = 2) -> variable.Variable:
    """Sum of products over the given axes of ``a`` and ``b``.

    Args:
        a: Float Variable or array.
        b: Float Variable or array.
        axes: An int ``n`` (contract ``a``'s last ``n`` axes with ``b``'s first ``n``) or a
            pair ``(a_axes, b_axes)`` of equal-length axis sequences.

    Returns:
        The contracted Variable: ``a``'s free axes followed by ``b``'s.

    Raises:
        ValueError: The contracted axes differ in length (``shape mismatch``).
        kusari.utils.type_check.InvalidType: An input is not floating point.

    Example:
        >>> import numpy
        >>> a, b = numpy.ones((2, 3, 4)), numpy.ones((4, 3, 5))
        >>> tensordot(a, b, axes=((1, 2), (1, 0))).shape
        (2, 5)
    """
    return TensorDot(axes).apply((a, b))[0]
