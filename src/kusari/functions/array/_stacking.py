"""Shared node of :func:`hstack`, :func:`vstack` and :func:`dstack`."""

from __future__ import annotations

from typing import Any

from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class _AxisStack(FunctionNode):
    """Concatenate after promoting the inputs to ``min_ndim`` dimensions, NumPy-style.

    Subclasses set ``_min_ndim`` (the ``atleast_nd`` promotion), ``_axis`` (the join
    axis once promoted) and ``_name_args`` (whether messages name inputs ``x0, x1...``).
    """

    _fast_check = staticmethod(_fast_check.always)
    _min_ndim = 1
    _axis = 0
    _name_args = True

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() > 0)
        if self._name_args:
            type_check.argname((in_types[0],), ("x0",))
        x0 = in_types[0]
        ndim = type_check.eval(x0.ndim)
        axis = self._join_axis(ndim)
        for i in range(1, type_check.eval(in_types.size())):
            t = in_types[i]
            if self._name_args:
                type_check.argname((t,), (f"x{i}",))
            type_check.expect(x0.dtype == t.dtype, x0.ndim == t.ndim)
            if ndim < self._min_ndim:
                type_check.expect(x0.shape == t.shape)
                continue
            for d in range(ndim):
                if d != axis:
                    type_check.expect(x0.shape[d] == t.shape[d])

    def _join_axis(self, ndim: int) -> int:
        return self._axis

    def forward(self, inputs: tuple) -> tuple:
        x0 = inputs[0]
        if not all(x.dtype == x0.dtype and x.ndim == x0.ndim for x in inputs):
            self._check_data_type_forward(inputs)
        self._shapes = [x.shape for x in inputs]
        xp = get_array_module(*inputs)
        xs = [self._promote(xp, x) for x in inputs]
        axis = self._join_axis(xs[0].ndim)
        self._sizes = [x.shape[axis] for x in xs]
        self._join = axis
        return xp.concatenate(xs, axis=axis),

    def _promote(self, xp: Any, x: Any) -> Any:
        raise NotImplementedError

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.reshape import reshape
        from kusari.functions.array.split_axis import split_axis

        gy, = grad_outputs
        if len(self._sizes) == 1:
            parts = (gy,)
        else:
            points, total = [], 0
            for s in self._sizes[:-1]:
                total += s
                points.append(total)
            parts = split_axis(gy, points, self._join)
        return tuple(reshape(parts[i], self._shapes[i]) for i in indexes)
