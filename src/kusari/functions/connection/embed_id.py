"""Embedding lookup: rows of a weight matrix selected by integer ids."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check

_new = variable.Variable._new


def _lookup(x: Any, W: Any, ignore_label: Any) -> Any:
    xp = get_array_module(W)
    if ignore_label is None:
        return W[x]
    mask = x == ignore_label
    y = W[xp.where(mask, 0, x)]
    y[mask] = 0
    return y


def _scatter_sorted(gW: Any, ids: Any, g: Any) -> bool:
    """``gW[ids] += g`` (``gW`` zero) on NumPy through sorted ids; False (nothing done)
    for negative ids or many repeats, which are left to ``numpy.add.at``.

    Distinct ids are a plain assignment, the few repeats added one by one in their
    original order: the same sums as ``add.at``, several times faster.
    """
    if not ids.size:
        return True
    order = numpy.argsort(ids, kind="stable")
    s = ids[order]
    if s[0] < 0:  # negative ids wrap around: left to add.at
        return False
    first = numpy.empty(s.size, bool)
    first[0] = True
    numpy.not_equal(s[1:], s[:-1], out=first[1:])
    gs = g[order]
    if first.all():
        gW[s] = gs
        return True
    rest = numpy.flatnonzero(~first)
    if rest.size > 8:  # many repeats: add.at
        return False
    # the first occurrence of each id assigned, the few later ones added in their
    # original order (the sorting is stable): bit-identical to add.at
    gW[s[first]] = gs[first]
    for j in rest.tolist():
        gW[s[j]] += gs[j]
    return True


def _scatter(x: Any, gy: Any, n_vocab: int, ignore_label: Any) -> Any:
    xp = get_array_module(gy)
    gW = xp.zeros((n_vocab,) + gy.shape[x.ndim:], gy.dtype)
    ids = x.ravel()
    g = gy.reshape((ids.size,) + gW.shape[1:])
    if ignore_label is not None:
        keep = ids != ignore_label
        ids, g = ids[keep], g[keep]
    if xp is numpy and isinstance(ids, numpy.ndarray) and _scatter_sorted(gW, ids, g):
        return gW
    if xp is get_array_module(ids) and hasattr(xp, "add") and hasattr(xp.add, "at"):
        xp.add.at(gW, ids, g)
    else:  # pragma: no cover - CuPy without ufunc.at
        import cupyx

        cupyx.scatter_add(gW, ids, g)
    return gW


class EmbedIDFunction(FunctionNode):
    """``y = W[x]``; rows for ``ignore_label`` are zero."""

    def __init__(self, ignore_label: Any = None) -> None:
        self.ignore_label = ignore_label

    def _fast_check(self, in_data: tuple) -> bool:
        x, W = in_data
        return x.dtype.kind == "i" and W.dtype.kind == "f" and W.ndim == 2

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x", "W"))
        x_type, w_type = in_types
        type_check.expect(x_type.dtype.kind == "i", x_type.ndim >= 1)
        type_check.expect(w_type.dtype.kind == "f", w_type.ndim == 2)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, W = inputs
        self.n_vocab = W.shape[0]
        return _lookup(x, W, self.ignore_label),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        x = self.inputs[0].data
        if not _fast_check.backprop_enabled():
            return None, _new(_scatter(x, gy._data, self.n_vocab, self.ignore_label), False)
        return None, EmbedIDGrad(x, self.n_vocab, self.ignore_label).apply((gy,))[0]


class EmbedIDGrad(FunctionNode):
    """The weight gradient of an embedding: rows of ``gy`` added at their ids."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, x: Any, n_vocab: int, ignore_label: Any) -> None:
        self.x = x
        self.n_vocab = n_vocab
        self.ignore_label = ignore_label

    def forward(self, inputs: tuple) -> tuple:
        gy, = inputs
        return _scatter(self.x, gy, self.n_vocab, self.ignore_label),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        ggW, = grad_outputs
        return EmbedIDFunction(self.ignore_label).apply((self.x, ggW))[0],


def embed_id(x: Any, W: Any, ignore_label: int | None = None) -> variable.Variable:
    """Embedding: :math:`y_{i} = W_{x_i}` (the row of ``W`` for each id).

    Args:
        x: Integer ids of any shape.
        W: Embedding matrix of shape ``(n_vocab, n_units)``.
        ignore_label: Ids equal to it map to a zero vector (and get no gradient).

    Returns:
        Output of shape ``x.shape + (n_units,)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``x`` is not integer or ``W`` not a float
            matrix.

    Example:
        >>> import numpy
        >>> W = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
        >>> embed_id(numpy.array([2, -1], numpy.int32), W, ignore_label=-1).array
        array([[4., 5.],
               [0., 0.]], dtype=float32)
    """
    return EmbedIDFunction(ignore_label).apply((x, W))[0]
