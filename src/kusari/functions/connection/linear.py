"""Fully connected layer: ``y = x W^T + b``."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check

_new = variable.Variable._new


def _fast(in_data: tuple) -> bool:
    if len(in_data) == 3:
        x, W, b = in_data
        dt = x.dtype
        if b.dtype is not dt or b.shape != W.shape[:1]:
            return False
    elif len(in_data) == 2:
        x, W = in_data
        dt = x.dtype
    else:
        return False
    # ``is``: NumPy's built-in dtypes are singletons (an equal copy takes the full check)
    return (W.dtype is dt and dt.kind == "f" and x.ndim == 2 and W.ndim == 2
            and x.shape[1] == W.shape[1])


# ``g.sum(axis=0)`` without NumPy's Python-level ``_methods`` wrapper
_add_reduce = numpy.add.reduce
_ndarray = numpy.ndarray


class LinearFunction(FunctionNode):
    """The fused linear node: one matrix product forward, two backward."""

    _fast_check = staticmethod(_fast)

    @property
    def label(self) -> str:
        return "LinearFunction"

    def check_type_forward(self, in_types: Any) -> None:
        n_in = type_check.eval(in_types.size())
        type_check.expect(2 <= in_types.size(), in_types.size() <= 3)
        type_check.argname(in_types, ("x", "W", "b")[:n_in])
        x_type, w_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == "f",
            w_type.dtype == x_type.dtype,
            x_type.ndim == 2,
            w_type.ndim == 2,
            x_type.shape[1] == w_type.shape[1],
        )
        if n_in == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[0],
            )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, W = inputs[0], inputs[1]
        y = x.dot(W.T)
        if y.dtype != x.dtype:
            y = y.astype(x.dtype)
        if len(inputs) == 3:
            y += inputs[2]
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            x_node, w_node = self.inputs[0], self.inputs[1]
            g = gy._data
            ret = []
            for i in indexes:
                if i == 0:
                    r = g.dot(w_node.data)
                    dt = x_node.dtype
                elif i == 1:
                    r = g.T.dot(x_node.data)
                    dt = w_node.dtype
                else:
                    ret.append(_new(_add_reduce(g, 0) if type(g) is _ndarray else g.sum(axis=0),
                                    False))
                    continue
                ret.append(_new(r if r.dtype is dt or r.dtype == dt else r.astype(dt), False))
            return tuple(ret)
        from kusari.functions.math.matmul import matmul
        from kusari.functions.math.sum import sum as f_sum

        x, W = self.get_retained_inputs()
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(matmul(gy, W))
            elif i == 1:
                ret.append(matmul(gy, x, transa=True))
            else:
                ret.append(f_sum(gy, axis=0))
        return tuple(ret)


def linear(x: Any, W: Any, b: Any = None, n_batch_axes: int = 1) -> variable.Variable:
    """Linear function (fully connected layer): :math:`y = x W^\\top + b`.

    Args:
        x: Input of shape ``(s_1, ..., s_n, in_size)`` or with trailing axes that are
            flattened: the first ``n_batch_axes`` axes are batch axes.
        W: Weight of shape ``(out_size, in_size)``.
        b: Bias of shape ``(out_size,)``, or None.
        n_batch_axes: Number of leading batch axes.

    Returns:
        Output of shape ``(s_1, ..., s_n, out_size)``.

    Raises:
        ValueError: ``n_batch_axes`` is not positive.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.ones((2, 3), numpy.float32)
        >>> W = numpy.ones((4, 3), numpy.float32)
        >>> linear(x, W).shape
        (2, 4)
    """
    if n_batch_axes <= 0:
        raise ValueError(f"linear: n_batch_axes must be positive, got {n_batch_axes}")
    shape = x.shape
    if len(shape) > 2 or n_batch_axes > 1:
        from kusari.functions.array.reshape import reshape

        batch_shape = shape[:n_batch_axes]
        batch_size = int(numpy.prod(batch_shape)) if batch_shape else 1
        x = reshape(x, (batch_size, -1))
    elif len(shape) < 2:
        raise type_check.InvalidType(
            "x.ndim >= 2", f"{len(shape)} < 2",
            msg="\nInvalid operation is performed in: LinearFunction (Forward)\n\n"
                f"Expect: x.ndim >= 2\nActual: {len(shape)} < 2",
        )
    args = (x, W) if b is None else (x, W, b)
    y, = LinearFunction().apply(args)
    if len(shape) > 2 or n_batch_axes > 1:
        from kusari.functions.array.reshape import reshape

        y = reshape(y, shape[:n_batch_axes] + (-1,))
    return y
