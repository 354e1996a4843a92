"""Add values into an array at indexed positions (out of place)."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.array.get_item import _normalize_slices, _to_xp
from kusari.utils import type_check


class ScatterAdd(FunctionNode):
    """``y = a.copy(); y[slices] += b`` with repeated indices accumulating."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, slices: Any) -> None:
        if isinstance(slices, variable.Variable):
            slices = slices.array
        slices = _normalize_slices(slices)
        self.slices = slices if isinstance(slices, tuple) else (slices,)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("a", "b"))
        n_valid = len([s for s in self.slices if s is not None])
        type_check.expect(in_types[0].ndim >= n_valid)

    def forward(self, inputs: tuple) -> tuple:
        a, b = inputs
        xp = get_array_module(a)
        slices = _to_xp(self.slices, xp)
        self._b_dtype = b.dtype
        y = a.copy()
        if y[slices].shape != b.shape:
            raise ValueError("Chainer does not support automatic broadcasting of variables. "
                             f"scatter_add: a[slices].shape {y[slices].shape} != b.shape "
                             f"{b.shape}")
        if xp is numpy:
            numpy.add.at(y, slices, b)
        else:
            import cupyx

            cupyx.scatter_add(y, slices, b)
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.cast import cast
        from kusari.functions.array.get_item import get_item

        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy)
            else:
                ret.append(cast(get_item(gy, self.slices), self._b_dtype))
        return tuple(ret)


def scatter_add(a: Any, slices: Any, b: Any) -> variable.Variable:
    """``a`` with ``b`` added at ``a[slices]``; repeated indices add up.

    Args:
        a: Base Variable or array.
        slices: An index as :func:`get_item` takes it.
        b: Values of exactly the shape of ``a[slices]`` (no broadcasting).

    Returns:
        A new Variable (``a`` is not modified).

    Raises:
        ValueError: ``b.shape`` differs from ``a[slices].shape``.

    Example:
        >>> import numpy
        >>> a = numpy.zeros(3, numpy.float32)
        >>> scatter_add(a, [0, 0], numpy.ones(2, numpy.float32)).array.tolist()
        [2.0, 0.0, 0.0]
    """
    return ScatterAdd(slices).apply((a, b))[0]
