"""Split an array into several along an axis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class SplitAxis(FunctionNode):
    """Split into equal sections (an int) or at indices (a sequence).

    The gradient concatenates the output gradients, with zeros for outputs that got none.
    """

    # axis errors surface from ``split`` itself; the index bound is checked in forward
    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, indices_or_sections: Any, axis: int) -> None:
        if not isinstance(axis, (int, numpy.integer)):
            raise TypeError(f"split_axis: axis must be int, got {type(axis).__name__}")
        self.axis = int(axis)
        if isinstance(indices_or_sections, (int, numpy.integer)):
            if indices_or_sections <= 0:
                raise ValueError("split_axis: the number of sections must be positive, got "
                                 f"{indices_or_sections}")
            self.sections: int | None = int(indices_or_sections)
            self.indices: list | None = None
        elif isinstance(indices_or_sections, (Sequence, numpy.ndarray)):
            self.sections = None
            self.indices = [int(i) for i in indices_or_sections]
        else:
            raise TypeError("split_axis: indices_or_sections must be an int or a sequence of "
                            f"ints, got {type(indices_or_sections).__name__}")

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 1)
        x = in_types[0]
        type_check.expect(x.ndim > self.axis)
        if self.indices is not None:
            if self.indices:
                max_index = type_check.make_variable(self.indices[-1], "max_index")
                type_check.expect(x.shape[self.axis] >= max_index)
        else:
            sections = type_check.make_variable(self.sections, "sections")
            type_check.expect(x.shape[self.axis] % sections == 0)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        if self.indices is not None and not self.indices:
            if x.ndim <= self.axis:
                self._check_data_type_forward(inputs)
            self._out_shapes = [x.shape]
            return x,
        n = x.shape[self.axis]
        if (self.indices is not None and self.indices[-1] > n
                or self.sections is not None and n % self.sections):
            self._check_data_type_forward(inputs)
        spec = self.sections if self.indices is None else self.indices
        ys = tuple(get_array_module(x).split(x, spec, self.axis))
        self._out_shapes = [y.shape for y in ys]
        return ys

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.concat import concat

        if len(grad_outputs) == 1:
            return grad_outputs
        ref = next(g for g in grad_outputs if g is not None)
        xp = get_array_module(ref.array)
        gys = [variable.Variable._new(xp.zeros(s, ref.dtype), False) if g is None else g
               for g, s in zip(grad_outputs, self._out_shapes)]
        return concat(gys, self.axis),


def split_axis(x: Any, indices_or_sections: int | Sequence[int], axis: int,
               force_tuple: bool = True) -> Any:
    """Split ``x`` along ``axis``, like ``numpy.split``.

    Args:
        x: Input Variable or array.
        indices_or_sections: An int ``n`` (``x.shape[axis]`` must be divisible by it) for
            ``n`` equal parts, or a sorted sequence of split points.
        axis: The axis to split.
        force_tuple: Return a tuple even when there is one part; otherwise one part comes
            back as a bare Variable.

    Returns:
        A tuple of Variables (or one Variable, see ``force_tuple``).

    Raises:
        kusari.utils.type_check.InvalidType: ``axis`` is out of range, the sections do not
            divide the axis, or an index exceeds it.

    Example:
        >>> import numpy
        >>> a, b = split_axis(numpy.arange(6, dtype=numpy.float32).reshape(2, 3), [1], 1)
        >>> a.shape, b.shape
        ((2, 1), (2, 2))
    """
    ys = SplitAxis(indices_or_sections, axis).apply((x,))
    if not force_tuple and len(ys) == 1:
        return ys[0]
    return ys
