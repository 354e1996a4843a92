"""S-LSTM cell: an LSTM step that merges two children."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._gates import ArrayOps, VariableOps, join_gates, split_gates
from kusari.utils import type_check

_new = variable.Variable._new


def _forward(ops: Any, c1: Any, c2: Any, x1: Any, x2: Any) -> tuple:
    a1, i1, f1, o1 = split_gates(x1, 4, thick=False)
    a2, i2, f2, o2 = split_gates(x2, 4, thick=False)
    a1, i1, f1 = ops.tanh(a1), ops.sigmoid(i1), ops.sigmoid(f1)
    a2, i2, f2 = ops.tanh(a2), ops.sigmoid(i2), ops.sigmoid(f2)
    o = ops.sigmoid(o1 + o2)
    c = a1 * i1 + a2 * i2 + f1 * c1 + f2 * c2
    return (a1, i1, f1, a2, i2, f2, o), c


def _grads(ops: Any, c1: Any, c2: Any, x1: Any, x2: Any, gc: Any, gh: Any) -> tuple:
    """Gradients of ``(c1, c2, x1, x2)``; works on arrays and on Variables."""
    (a1, i1, f1, a2, i2, f2, o), c = _forward(ops, c1, c2, x1, x2)
    co = ops.tanh(c)
    t = gc
    go = 0 * o
    if gh is not None:
        t = gh * o * (1 - co * co) if t is None else t + gh * o * (1 - co * co)
        go = gh * co * o * (1 - o)
    if t is None:
        t = 0 * c
    gx1 = join_gates(
        (t * i1 * (1 - a1 * a1), t * a1 * i1 * (1 - i1), t * c1 * f1 * (1 - f1), go),
        x1.shape, thick=False)
    gx2 = join_gates(
        (t * i2 * (1 - a2 * a2), t * a2 * i2 * (1 - i2), t * c2 * f2 * (1 - f2), go),
        x2.shape, thick=False)
    return t * f1, t * f2, gx1, gx2


class SLSTM(FunctionNode):
    """``c = tanh(a1) s(i1) + tanh(a2) s(i2) + s(f1) c1 + s(f2) c2``,
    ``h = s(o1 + o2) tanh(c)``."""

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("c_prev1", "c_prev2", "x1", "x2"))
        c1_type, c2_type, x1_type, x2_type = in_types
        type_check.expect(
            c1_type.dtype.kind == "f",
            c2_type.dtype == c1_type.dtype,
            x1_type.dtype == c1_type.dtype,
            x2_type.dtype == c1_type.dtype,
            c1_type.ndim >= 2,
            c2_type.ndim >= 2,
            x1_type.ndim >= 2,
            x2_type.ndim >= 2,
            c1_type.ndim == x1_type.ndim,
            c1_type.ndim == c2_type.ndim,
            c1_type.ndim == x2_type.ndim,
            c1_type.shape[0] == x1_type.shape[0],
            c1_type.shape[0] == c2_type.shape[0],
            c1_type.shape[0] == x2_type.shape[0],
            x1_type.shape[1] == 4 * c1_type.shape[1],
            x2_type.shape[1] == 4 * c2_type.shape[1],
        )
        for i in range(2, type_check.eval(c1_type.ndim)):
            type_check.expect(
                x1_type.shape[i] == c1_type.shape[i],
                x2_type.shape[i] == c2_type.shape[i],
                x1_type.shape[i] == x2_type.shape[i],
            )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1, 2, 3))
        (*_, o), c = _forward(ArrayOps, *inputs)
        return c, o * ArrayOps.tanh(c)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gc, gh = grad_outputs
        if not _fast_check.backprop_enabled():
            arrays = [n.data for n in self.inputs]
            gs = _grads(ArrayOps, *arrays, None if gc is None else gc._data,
                        None if gh is None else gh._data)
            return tuple(_new(gs[i], False) for i in indexes)
        gs = _grads(VariableOps, *self.get_retained_inputs(), gc, gh)
        return tuple(gs[i] for i in indexes)


def slstm(c_prev1: Any, c_prev2: Any, x1: Any, x2: Any) -> tuple:
    """S-LSTM cell (Zhu et al., 2015): one LSTM step with two child states.

    Each of ``x1``, ``x2`` holds gates ``a, i, f, o`` in the interleaved layout of
    :func:`lstm`. :math:`c = \\tanh(a_1)\\sigma(i_1) + \\tanh(a_2)\\sigma(i_2)
    + \\sigma(f_1) c_1 + \\sigma(f_2) c_2`, :math:`h = \\sigma(o_1 + o_2) \\tanh(c)`.

    Args:
        c_prev1: Cell state of the first child, ``(B, H, ...)``.
        c_prev2: Cell state of the second child, ``(B, H, ...)``.
        x1: Gate pre-activations from the first child, ``(B, 4H, ...)``.
        x2: Gate pre-activations from the second child, ``(B, 4H, ...)``.

    Returns:
        ``(c, h)``, each ``(B, H, ...)``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> c = numpy.zeros((2, 3), numpy.float32)
        >>> x = numpy.zeros((2, 12), numpy.float32)
        >>> slstm(c, c, x, x)[1].shape
        (2, 3)
    """
    return SLSTM().apply((c_prev1, c_prev2, x1, x2))
