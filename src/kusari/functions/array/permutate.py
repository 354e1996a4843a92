"""Permute an array along an axis by an index array."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend, configuration, variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _check_indices(indices: Any) -> None:
    host = backend.CpuDevice().send(indices)
    if len(host) == 0:
        return
    for i in host:
        if not 0 <= i < len(host):
            raise ValueError(f"Out of bounds index: {i}")
    seen = numpy.zeros(len(host), bool)
    for i in host:
        if seen[i]:
            raise ValueError(f"indices contains duplicate value: {i}")
        seen[i] = True


def _inverse(indices: Any) -> Any:
    inv = indices.copy()
    inv[indices] = backend.get_array_module(indices).arange(len(indices), dtype=indices.dtype)
    return inv


class Permutate(FunctionNode):
    """``y = x[indices]`` along ``axis`` (``inv``: ``y[indices] = x``)."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, indices: Any, axis: int, inv: bool) -> None:
        self.indices = indices
        self.axis = axis
        self.inv = inv

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x = in_types[0]
        if self.axis < 0:
            type_check.expect(x.ndim >= -self.axis)
        else:
            type_check.expect(x.ndim > self.axis)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        if not -x.ndim <= self.axis < x.ndim:
            self._check_data_type_forward(inputs)
        if configuration.config.debug:
            _check_indices(self.indices)
        indices = _inverse(self.indices) if self.inv else self.indices
        axis = self.axis % x.ndim
        return x[(slice(None),) * axis + (indices,)],

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return Permutate(self.indices, self.axis, not self.inv).apply(grad_outputs)


def permutate(x: Any, indices: Any, axis: int = 0, inv: bool = False) -> variable.Variable:
    """Permute ``x`` along ``axis``: ``y[..., i, ...] = x[..., indices[i], ...]``.

    Args:
        x: Input Variable or array.
        indices: A one-dimensional int array holding a permutation of
            ``range(x.shape[axis])`` (checked in debug mode).
        axis: The axis to permute.
        inv: Apply the inverse permutation instead.

    Returns:
        The permuted Variable.

    Raises:
        ValueError: ``indices`` is not a one-dimensional int array (or, in debug mode,
            not a permutation).
        kusari.utils.type_check.InvalidType: ``axis`` is out of range.

    Example:
        >>> import numpy
        >>> x = numpy.array([1.0, 2.0, 3.0])
        >>> permutate(x, numpy.array([2, 0, 1], numpy.int32)).array.tolist()
        [3.0, 1.0, 2.0]
    """
    if isinstance(indices, variable.Variable):
        indices = indices.array
    if indices.dtype.kind != "i" or indices.ndim != 1:
        raise ValueError("indices should be a one-dimensional int array")
    return Permutate(indices, axis, inv).apply((x,))[0]
