"""Connectionist temporal classification: forward-backward over label alignments in log space.

The recursions loop over time only; each step updates every sequence of the batch and
every position of its blank-interleaved label path at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import force_array, type_check

# log(0) stand-in: finite, so impossible alignments give a huge loss instead of inf/nan
_LOG_ZERO = -1e10


def _lse3(xp: Any, a: Any, b: Any, c: Any) -> Any:
    m = xp.maximum(xp.maximum(a, b), c)
    return m + xp.log(xp.exp(a - m) + xp.exp(b - m) + xp.exp(c - m))


class ConnectionistTemporalClassification(FunctionNode):
    """CTC loss of ``x`` ``(T, B, V)`` (unnormalized) for labels ``t`` ``(B, L)``.

    Inputs are ``(input_length, label_length, t, x)``. The gradient is
    ``softmax(x) - posterior occupancy`` per frame, zero past each input length.
    """

    def __init__(self, blank_symbol: int, reduce: str = "mean") -> None:
        self.blank_symbol = blank_symbol
        if reduce not in ("mean", "no"):
            raise ValueError(
                f"only 'mean' and 'no' are valid for 'reduce', but '{reduce}' is given")
        self.reduce = reduce

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("input_length", "label_length", "t", "x"))
        input_length_type, label_length_type, t_type, x_type = in_types
        type_check.expect(
            input_length_type.dtype == numpy.int32,
            input_length_type.ndim == 1,
            label_length_type.dtype == numpy.int32,
            label_length_type.ndim == 1,
            t_type.ndim == 2,
            t_type.dtype == numpy.int32,
            x_type.ndim == 3,
            x_type.dtype.kind == "f",
        )
        n_batch = x_type.shape[1]
        type_check.expect(
            t_type.shape[0] == n_batch,
            input_length_type.shape[0] == n_batch,
            label_length_type.shape[0] == n_batch,
        )

    def forward(self, inputs: tuple) -> tuple:
        input_length, label_length, t, x = inputs
        xp = get_array_module(x)
        ct = numpy.dtype(numpy.float32 if x.dtype == numpy.float16 else x.dtype)
        xc = x.astype(ct, copy=False)
        T, B, _ = x.shape
        m = xc.max(axis=2, keepdims=True)
        log_y = xc - m
        log_y -= xp.log(xp.exp(log_y).sum(axis=2, keepdims=True))
        self.log_y = log_y

        # the blank-interleaved label path (B, S) and its valid lengths
        S = 2 * t.shape[1] + 1
        path = xp.full((B, S), self.blank_symbol, numpy.int32)
        path[:, 1::2] = t
        path_length = 2 * label_length.astype(numpy.int32) + 1
        pos = xp.arange(S)
        valid = pos[None, :] < path_length[:, None]
        skip = xp.zeros((B, S), bool)  # may come from s - 2
        skip[:, 2:] = (path[:, 2:] != self.blank_symbol) & (path[:, 2:] != path[:, :-2])
        rows = xp.arange(B)[:, None]
        # log y of each path position at each time: (T, B, S)
        log_yp = log_y[:, rows, path]
        zero = ct.type(_LOG_ZERO)

        def shift(a: Any, k: int, step: int) -> Any:
            # a[s - k] (step=+1, forward) or a[s + k] (step=-1, backward); LOG_ZERO outside
            out = xp.full_like(a, zero)
            if step > 0:
                out[:, k:] = a[:, :S - k]
            else:
                out[:, :S - k] = a[:, k:]
            return out

        # alpha (forward variables), kept for every frame
        alpha = xp.full((T, B, S), zero, ct)
        a = xp.where((pos[None, :] < 2) & valid, log_yp[0], zero)
        alpha[0] = a
        skip_next = xp.zeros((B, S), bool)  # may come from s + 2
        skip_next[:, :-2] = skip[:, 2:]
        for k in range(1, T):
            rec = _lse3(xp, a, shift(a, 1, 1), xp.where(skip, shift(a, 2, 1), zero))
            rec = xp.where(valid, rec + log_yp[k], zero)
            a = xp.where((k < input_length)[:, None], rec, a)
            alpha[k] = a
        # beta (backward variables, including the frame's own y)
        beta = xp.full((T, B, S), zero, ct)
        last = input_length[:, None] - 1
        end = (pos[None, :] >= path_length[:, None] - 2) & valid
        b = xp.full((B, S), zero, ct)
        for k in range(T - 1, -1, -1):
            rec = _lse3(xp, b, shift(b, 1, -1), xp.where(skip_next, shift(b, 2, -1), zero))
            rec = xp.where(valid, rec + log_yp[k], zero)
            init = xp.where(end, log_yp[k], zero)
            b = xp.where(k == last, init, xp.where(k < last, rec, zero))
            beta[k] = b
        # log p(t | x) from the last frame of each sequence
        a_last = alpha[input_length - 1, xp.arange(B)]
        idx = path_length - 1
        lp = xp.logaddexp(a_last[xp.arange(B), idx],
                          xp.where(idx >= 1, a_last[xp.arange(B), xp.maximum(idx - 1, 0)],
                                   zero))
        self.alpha, self.beta, self.path, self.log_p = alpha, beta, path, lp
        self.input_length = input_length
        loss = -lp
        if self.reduce == "mean":
            loss = force_array(loss.mean())
        return loss.astype(x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gloss, = grad_outputs
        xp = get_array_module(self.log_y)
        T, B, V = self.log_y.shape
        log_yp = self.log_y[:, xp.arange(B)[:, None], self.path]
        gamma = xp.exp(self.alpha + self.beta - log_yp - self.log_p[None, :, None])
        occ = xp.zeros((T, B, V), self.log_y.dtype)
        tt = xp.arange(T)[:, None, None]
        bb = xp.arange(B)[None, :, None]
        if xp is numpy:
            numpy.add.at(occ, (tt, bb, self.path[None]), gamma)
        else:
            import cupyx

            cupyx.scatter_add(occ, (tt, bb, self.path[None]), gamma)
        gx = xp.exp(self.log_y) - occ
        gx *= (xp.arange(T)[:, None] < self.input_length[None, :])[:, :, None]
        g = gloss.array.astype(gx.dtype)
        if self.reduce == "mean":
            gx *= g / B
        else:
            gx *= g[None, :, None]
        x_dtype = self.inputs[3].dtype
        return tuple(variable.Variable(gx.astype(x_dtype)) if i == 3 else None
                     for i in indexes)


def connectionist_temporal_classification(
        x: Sequence[Any], t: Any, blank_symbol: int, input_length: Any = None,
        label_length: Any = None, reduce: str = "mean") -> variable.Variable:
    """Connectionist temporal classification loss.

    :math:`\\ell = -\\log \\sum_{\\pi \\in \\mathcal{B}^{-1}(t)} \\prod_{k}
    \\mathrm{softmax}(x_k)_{\\pi_k}`: the negative log-probability of the label sequence
    ``t`` summed over all frame alignments ``\\pi`` that reduce to it (merge repeats, drop
    blanks). The softmax over the label axis is applied here; ``x`` is unnormalized.

    Args:
        x: List of ``T`` frames, each ``(B, V)``.
        t: Labels, int32 ``(B, L)`` (padded past ``label_length``).
        blank_symbol: Index of the blank label, ``0 <= blank_symbol < V``.
        input_length: int32 ``(B,)`` frames per sequence (default all ``T``).
        label_length: int32 ``(B,)`` labels per sequence (default all ``L``).
        reduce: ``'mean'`` (the batch mean) or ``'no'`` (shape ``(B,)``).

    Returns:
        The loss Variable.

    Raises:
        TypeError: ``x`` is not a sequence or ``blank_symbol`` is not an int.
        ValueError: ``reduce`` is neither ``'mean'`` nor ``'no'``.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = [numpy.zeros((1, 2), numpy.float32)] * 2
        >>> t = numpy.array([[1]], numpy.int32)
        >>> # alignments (1,1), (0,1), (1,0) of four equally likely ones: -log(3/4)
        >>> round(float(connectionist_temporal_classification(x, t, 0).array), 4)
        0.2877
    """
    from kusari.functions.array.stack import stack

    if not isinstance(x, Sequence):
        raise TypeError("x must be a list of Variables")
    if not isinstance(blank_symbol, int):
        raise TypeError("blank_symbol must be non-negative integer.")
    if not 0 <= blank_symbol < x[0].shape[1]:
        raise ValueError(f"connectionist_temporal_classification: blank_symbol must be in "
                         f"[0, {x[0].shape[1]}), got {blank_symbol}")
    if x[0].ndim != 2:
        raise ValueError("connectionist_temporal_classification: each frame of x must be "
                         f"(B, V), got ndim {x[0].ndim}")
    t_arr = getattr(t, "array", t)
    xp = get_array_module(getattr(x[0], "array", x[0]))
    if input_length is None:
        input_length = xp.full(len(x[0]), len(x), numpy.int32)
    if label_length is None:
        label_length = xp.full(len(t_arr), t_arr.shape[1], numpy.int32)
    node = ConnectionistTemporalClassification(blank_symbol, reduce)
    return node.apply((input_length, label_length, t, stack(x)))[0]
