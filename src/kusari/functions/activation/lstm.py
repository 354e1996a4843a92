"""Fused long short-term memory cell."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.backends import cuda
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._gates import join_gates, split_gates
from kusari.functions.activation._scale import basic_slice
from kusari.functions.activation.sigmoid import _sigmoid_array, sigmoid
from kusari.functions.activation.tanh import tanh
from kusari.utils import type_check

_new = variable.Variable._new

_PREAMBLE = """
template <typename T> __device__ T sigmoid(T x) {
    const T h = T(0.5);
    return tanh(x * h) * h + h;
}
"""


def _gates(x: Any) -> list:
    """The four gates ``a, i, f, o`` of ``x``: interleaved, unit ``j`` of gate ``k`` at
    column ``4 j + k`` (Chainer's layout)."""
    r = x.reshape((x.shape[0], x.shape[1] // 4, 4) + x.shape[2:])
    return [r[:, :, k] for k in range(4)]


def _fast(in_data: tuple) -> bool:
    c, x = in_data
    return (
        c.dtype.kind == "f" and x.dtype == c.dtype and c.ndim == 2 and x.ndim == 2
        and x.shape[0] <= c.shape[0] and x.shape[1] == 4 * c.shape[1]
    )


class LSTM(FunctionNode):
    """One LSTM step on ``(c_prev, x)`` giving ``(c, h)``; rows of ``c_prev`` past
    ``len(x)`` pass through unchanged (a shrinking batch)."""

    _fast_check = staticmethod(_fast)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("c", "x"))
        c_type, x_type = in_types
        type_check.expect(
            c_type.dtype.kind == "f",
            x_type.dtype == c_type.dtype,
            c_type.ndim >= 2,
            x_type.ndim >= 2,
            c_type.ndim == x_type.ndim,
            x_type.shape[0] <= c_type.shape[0],
            x_type.shape[1] == 4 * c_type.shape[1],
        )
        for i in range(2, type_check.eval(c_type.ndim)):
            type_check.expect(x_type.shape[i] == c_type.shape[i])

    def forward_cpu(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        c_prev, x = inputs
        xp = get_array_module(x)
        batch = len(x)
        a, i, f, o = _gates(x)
        c = xp.empty_like(c_prev)
        cb = c[:batch]
        xp.multiply(xp.tanh(a), _sigmoid_array(i), out=cb)
        cb += _sigmoid_array(f) * c_prev[:batch]
        c[batch:] = c_prev[batch:]
        h = _sigmoid_array(o) * xp.tanh(cb)
        self.retain_outputs((0,))
        return c, h

    def forward_gpu(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        c_prev, x = inputs
        cp = cuda.cupy
        batch = len(x)
        a, i, f, o = _gates(x)
        c = cp.empty_like(c_prev)
        h = cp.empty_like(c[:batch])
        cuda.elementwise(
            "T c_prev, T a, T i_, T f, T o", "T c, T h",
            """
            c = tanh(a) * sigmoid(i_) + sigmoid(f) * c_prev;
            h = sigmoid(o) * tanh(c);
            """,
            "kusari_lstm_fwd", preamble=_PREAMBLE,
        )(c_prev[:batch], a, i, f, o, c[:batch], h)
        c[batch:] = c_prev[batch:]
        self.retain_outputs((0,))
        return c, h

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gc, gh = grad_outputs
        if not _fast_check.backprop_enabled():
            c_prev, x = self.inputs[0].data, self.inputs[1].data
            c = self._retained_output_data[0]
            gcp, gx = _backward_arrays(
                c_prev, x, c, None if gc is None else gc._data, None if gh is None else gh._data)
            return tuple(_new((gcp, gx)[i], False) for i in indexes)
        c_prev, x = self.get_retained_inputs()
        gcp, gx = _backward_graph(c_prev, x, gc, gh)
        return tuple((gcp, gx)[i] for i in indexes)


def _backward_arrays(c_prev: Any, x: Any, c: Any, gc: Any, gh: Any) -> tuple:
    xp = get_array_module(x)
    batch = len(x)
    a, i, f, o = _gates(x)
    gx = xp.empty_like(x)
    ga, gi, gf, go = _gates(gx)
    gc_prev = xp.empty_like(c_prev)
    if xp is not numpy:
        cuda.elementwise(
            "T c_prev, T c, T gc, T gh, T a, T i_, T f, T o",
            "T gc_prev, T ga, T gi, T gf, T go",
            """
            T aa = tanh(a), ai = sigmoid(i_), af = sigmoid(f), ao = sigmoid(o);
            T co = tanh(c);
            T t = gh * ao * (1 - co * co) + gc;
            ga = t * ai * (1 - aa * aa);
            gi = t * aa * ai * (1 - ai);
            gf = t * c_prev * af * (1 - af);
            go = gh * co * ao * (1 - ao);
            gc_prev = t * af;
            """,
            "kusari_lstm_bwd", preamble=_PREAMBLE,
        )(c_prev[:batch], c[:batch], 0 if gc is None else gc[:batch], 0 if gh is None else gh,
          a, i, f, o, gc_prev[:batch], ga, gi, gf, go)
    else:
        ta = xp.tanh(a)
        si, sf, so = _sigmoid_array(i), _sigmoid_array(f), _sigmoid_array(o)
        co = xp.tanh(c[:batch])
        t = gc_prev[:batch]
        if gh is None:
            t[...] = 0
            go[...] = 0
        else:
            xp.multiply(gh * so, 1 - co * co, out=t)
            go[...] = gh * co * so * (1 - so)
        if gc is not None:
            t += gc[:batch]
        ga[...] = t * si * (1 - ta * ta)
        gi[...] = t * ta * si * (1 - si)
        gf[...] = t * c_prev[:batch] * sf * (1 - sf)
        t *= sf
    if gc is None:
        gc_prev[batch:] = 0
    else:
        gc_prev[batch:] = gc[batch:]
    return gc_prev, gx


class _ConcatRows(FunctionNode):
    """Join two arrays along axis 0."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        xp = get_array_module(*inputs)
        self._n = len(inputs[0])
        return xp.concatenate(inputs, axis=0),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        g, = grad_outputs
        n = self._n
        return tuple(basic_slice(g, slice(0, n) if k == 0 else slice(n, None)) for k in indexes)


def _backward_graph(c_prev: Any, x: Any, gc: Any, gh: Any) -> tuple:
    """The same gradients as :func:`_backward_arrays` from differentiable functions."""
    batch = len(x)
    a, i, f, o = split_gates(x, 4, thick=False)
    ta, si, sf, so = tanh(a), sigmoid(i), sigmoid(f), sigmoid(o)
    cp = basic_slice(c_prev, slice(0, batch)) if batch < len(c_prev) else c_prev
    c = ta * si + sf * cp
    co = tanh(c)
    t = None
    if gh is not None:
        t = gh * so * (1 - co * co)
        go = gh * co * so * (1 - so)
    else:
        go = variable.Variable(x.xp.zeros(c.shape, x.dtype))
    if gc is not None:
        gcb = basic_slice(gc, slice(0, batch)) if batch < len(c_prev) else gc
        t = gcb if t is None else t + gcb
    if t is None:
        t = variable.Variable(x.xp.zeros(c.shape, x.dtype))
    ga = t * si * (1 - ta * ta)
    gi = t * ta * si * (1 - si)
    gf = t * cp * sf * (1 - sf)
    gx = join_gates((ga, gi, gf, go), x.shape, thick=False)
    gcp = t * sf
    if batch < len(c_prev):
        rest = basic_slice(gc, slice(batch, None)) if gc is not None else variable.Variable(
            x.xp.zeros((len(c_prev) - batch,) + c_prev.shape[1:], x.dtype))
        gcp = _ConcatRows().apply((gcp, rest))[0]
    return gcp, gx


def lstm(c_prev: Any, x: Any) -> tuple:
    """Long short-term memory cell: one step, fused into one node.

    With gates taken from ``x`` in Chainer's interleaved layout (``x[:, 4j + k]`` is unit
    ``j`` of gate ``k`` for ``k`` = ``a, i, f, o``):
    :math:`c = \\tanh(a) \\sigma(i) + \\sigma(f) c_{prev}`, :math:`h = \\sigma(o) \\tanh(c)`.

    When ``x`` has fewer rows than ``c_prev`` (sequences that ended), the remaining rows of
    ``c_prev`` are copied to ``c`` and ``h`` has ``len(x)`` rows.

    Args:
        c_prev: Previous cell state of shape ``(B, H, ...)``.
        x: Gate pre-activations of shape ``(B', 4H, ...)`` with ``B' <= B``.

    Returns:
        ``(c, h)``: the new cell state ``(B, H, ...)`` and output ``(B', H, ...)``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> c, h = lstm(numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 12), numpy.float32))
        >>> c.shape, h.shape
        ((2, 3), (2, 3))
    """
    return LSTM().apply((c_prev, x))
