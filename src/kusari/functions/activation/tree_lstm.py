"""Child-sum tree LSTM cell with N children."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._gates import ArrayOps, VariableOps, join_gates, split_gates
from kusari.utils import type_check

_new = variable.Variable._new


def _forward(ops: Any, cs: tuple, x: Any) -> tuple:
    gates = split_gates(x, 3 + len(cs), thick=True)
    a, i, o = ops.tanh(gates[0]), ops.sigmoid(gates[1]), ops.sigmoid(gates[2])
    fs = [ops.sigmoid(f) for f in gates[3:]]
    c = a * i
    for f, ck in zip(fs, cs):
        c = c + f * ck
    return a, i, o, fs, c


def _grads(ops: Any, cs: tuple, x: Any, gc: Any, gh: Any) -> tuple:
    """Gradients of ``(*cs, x)``; works on arrays and on Variables."""
    a, i, o, fs, c = _forward(ops, cs, x)
    co = ops.tanh(c)
    t = gc
    go = 0 * o
    if gh is not None:
        t = gh * o * (1 - co * co) if t is None else t + gh * o * (1 - co * co)
        go = gh * co * o * (1 - o)
    if t is None:
        t = 0 * c
    gates = [t * i * (1 - a * a), t * a * i * (1 - i), go]
    gates += [t * ck * f * (1 - f) for f, ck in zip(fs, cs)]
    gx = join_gates(tuple(gates), x.shape, thick=True)
    return tuple(t * f for f in fs) + (gx,)


class TreeLSTM(FunctionNode):
    """``c = tanh(a) s(i) + sum_k s(f_k) c_k``, ``h = s(o) tanh(c)``."""

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() >= 2)
        c_types = in_types[:-1]
        x_type = in_types[-1]
        n_ary = len(c_types)
        type_check.expect(x_type.ndim >= 2)
        for c_type in c_types:
            type_check.expect(
                c_type.dtype.kind == "f",
                x_type.dtype == c_type.dtype,
                c_type.ndim >= 2,
                c_type.ndim == x_type.ndim,
                x_type.shape[0] == c_type.shape[0],
                x_type.shape[1] == (3 + n_ary) * c_type.shape[1],
            )
            for j in range(2, type_check.eval(c_type.ndim)):
                type_check.expect(x_type.shape[j] == c_type.shape[j])

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs(tuple(range(len(inputs))))
        _, _, o, _, c = _forward(ArrayOps, inputs[:-1], inputs[-1])
        return c, o * ArrayOps.tanh(c)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gc, gh = grad_outputs
        if not _fast_check.backprop_enabled():
            arrays = [n.data for n in self.inputs]
            gs = _grads(ArrayOps, tuple(arrays[:-1]), arrays[-1],
                        None if gc is None else gc._data, None if gh is None else gh._data)
            return tuple(_new(gs[i], False) for i in indexes)
        xs = self.get_retained_inputs()
        gs = _grads(VariableOps, xs[:-1], xs[-1], gc, gh)
        return tuple(gs[i] for i in indexes)


def tree_lstm(*inputs: Any) -> tuple:
    """Child-sum tree LSTM cell (Tai et al., 2015) with ``N = len(inputs) - 1`` children.

    ``x`` holds the gates ``a, i, o, f_1, ..., f_N`` in consecutive blocks of ``H``
    columns. :math:`c = \\tanh(a)\\sigma(i) + \\sum_k \\sigma(f_k) c_k`,
    :math:`h = \\sigma(o)\\tanh(c)`.

    Args:
        *inputs: ``c_1, ..., c_N`` of shape ``(B, H, ...)`` then ``x`` of shape
            ``(B, (3 + N) H, ...)``.

    Returns:
        ``(c, h)``, each ``(B, H, ...)``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> c = numpy.zeros((2, 3), numpy.float32)
        >>> x = numpy.zeros((2, 15), numpy.float32)
        >>> tree_lstm(c, c, x)[0].shape
        (2, 3)
    """
    return TreeLSTM().apply(inputs)
