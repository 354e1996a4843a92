"""Sigmoid cross entropy: binary cross entropy on logits, fused and numerically stable."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.loss import _count
from kusari.utils import type_check

_new = variable.Variable._new


def _sigmoid(xp: Any, x: Any) -> Any:
    half = x.dtype.type(0.5)
    return xp.tanh(x * half) * half + half


class _Sigmoid(FunctionNode):
    """A private, stable, twice-differentiable sigmoid used by the graph backward."""

    _fast_check = staticmethod(_fast_check.always)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return _sigmoid(get_array_module(x), x),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y * (1.0 - y),


class SigmoidCrossEntropy(FunctionNode):
    """``-t log sigmoid(x) - (1 - t) log(1 - sigmoid(x))`` with ``t == -1`` ignored."""

    ignore_label = -1

    def __init__(self, normalize: bool = True, reduce: str = "mean") -> None:
        self.normalize = normalize
        self.reduce = reduce

    def _fast_check(self, in_data: tuple) -> bool:
        x, t = in_data
        return x.dtype.kind == "f" and t.dtype.kind == "i" and x.shape == t.shape

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x", "t"))
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == "f", t_type.dtype.kind == "i",
                          x_type.shape == t_type.shape)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, t = inputs
        xp = get_array_module(x)
        mask = t != self.ignore_label
        self.mask = mask
        loss = xp.maximum(x, 0) - x * t.astype(x.dtype) + xp.log1p(xp.exp(-xp.abs(x)))
        loss *= mask
        if self.reduce == "mean":
            if self.normalize:
                self.count = _count.valid_count(xp, mask, x.dtype)
            else:
                self.count = max(x.shape[0] if x.ndim else 1, 1)
            return xp.asarray(_count.divide(loss.sum(), self.count, x.dtype), x.dtype),
        return loss.astype(x.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        x = self.inputs[0].data
        t = self.inputs[1].data
        scale = _count.reciprocal(self.count) if self.reduce == "mean" else 1.0
        if not _fast_check.backprop_enabled():
            xp = get_array_module(x)
            gx = (_sigmoid(xp, x) - t.astype(x.dtype)) * self.mask
            gx *= gy._data * (x.dtype.type(scale) if isinstance(scale, float) else scale)
            return _new(gx.astype(x.dtype, copy=False), False), None
        from kusari.functions.array.broadcast import broadcast_to

        xv = self.get_retained_inputs()[0]
        diff = (_Sigmoid().apply((xv,))[0] - t.astype(x.dtype)) * self.mask.astype(x.dtype)
        g = gy if isinstance(scale, float) and scale == 1.0 else gy * scale
        if g.shape != x.shape:
            g = broadcast_to(g, x.shape)
        return diff * g, None


def sigmoid_cross_entropy(x: Any, t: Any, normalize: bool = True,
                          reduce: str = "mean") -> variable.Variable:
    """Sigmoid cross entropy (binary cross entropy on logits).

    :math:`\\ell_i = -t_i \\log \\sigma(x_i) - (1 - t_i) \\log (1 - \\sigma(x_i))`,
    computed stably as :math:`\\max(x, 0) - x t + \\log(1 + e^{-|x|})`; elements whose
    label is ``-1`` are ignored.

    Args:
        x: Logits.
        t: Int labels (0, 1, or -1 to ignore) of ``x``'s shape.
        normalize: With ``reduce='mean'``, divide by the number of non-ignored labels;
            otherwise by the batch size ``x.shape[0]``.
        reduce: ``'mean'`` or ``'no'``.

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is invalid.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.zeros((1, 2), numpy.float32)
        >>> round(float(sigmoid_cross_entropy(x, numpy.array([[1, -1]], 'i')).array), 4)
        0.6931
    """
    if reduce not in ("mean", "no"):
        raise ValueError(f"only 'mean' and 'no' are valid for 'reduce', but '{reduce}' is "
                         "given")
    return SigmoidCrossEntropy(normalize, reduce).apply((x, t))[0]
