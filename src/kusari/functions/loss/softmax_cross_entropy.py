"""Softmax cross entropy: log-softmax and negative log likelihood as one fused node."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.loss import _count
from kusari.utils import type_check

_new = variable.Variable._new


def _expand(a: Any, ndim: int) -> Any:
    """``a`` of shape ``(N, *rest)`` reshaped to ``(N, 1, *rest)`` (broadcast on classes)."""
    return a.reshape(a.shape[:1] + (1,) + a.shape[1:]) if ndim > 1 else a


class SoftmaxCrossEntropy(FunctionNode):
    """``-log softmax(x)[t]`` averaged (or not); keeps the softmax for backward."""

    def __init__(self, normalize: bool = True, cache_score: bool = True,
                 class_weight: Any = None, ignore_label: int = -1, reduce: str = "mean",
                 soft_target_loss: str = "cross-entropy") -> None:
        self.normalize = normalize
        self.cache_score = cache_score
        self.class_weight = class_weight
        self.ignore_label = ignore_label
        self.reduce = reduce
        self.soft_target_loss = soft_target_loss
        self.soft = False

    def _fast_check(self, in_data: tuple) -> bool:
        x, t = in_data
        if x.dtype.kind != "f" or x.ndim < 1:
            return False
        if t.dtype.kind == "i":
            return t.ndim == x.ndim - 1 and t.shape == x.shape[:1] + x.shape[2:]
        return t.dtype == x.dtype and t.shape == x.shape

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("x", "t"))
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == "f")
        if type_check.eval(t_type.dtype.kind) == "f":
            type_check.expect(t_type.dtype == x_type.dtype, t_type.shape == x_type.shape)
            return
        type_check.expect(t_type.dtype.kind == "i", t_type.ndim == x_type.ndim - 1)
        x_shape = type_check.eval(x_type.shape)
        t_shape = type_check.eval(t_type.shape)
        if tuple(t_shape) != tuple(x_shape[:1]) + tuple(x_shape[2:]):
            raise type_check.InvalidType(
                "t.shape == x.shape[:1] + x.shape[2:]",
                f"{tuple(t_shape)} != {tuple(x_shape[:1]) + tuple(x_shape[2:])}")

    def forward(self, inputs: tuple) -> tuple:
        x, t = inputs
        xp = get_array_module(x)
        self.retain_inputs((0, 1))
        self.soft = t.dtype.kind == "f"
        shifted = x - x.max(axis=1, keepdims=True)
        e = xp.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        e /= s
        y = e
        log_s = xp.log(s)
        if self.soft:
            log_y = shifted - log_s
            if self.soft_target_loss == "cross-entropy":
                loss = -(t * log_y).sum(axis=1)
            else:
                with numpy.errstate(divide="ignore", invalid="ignore"):
                    tlogt = xp.where(t > 0, t * xp.log(xp.where(t > 0, t, 1)), 0)
                loss = (tlogt - t * log_y).sum(axis=1)
            self.y = y if self.cache_score else None
            if self.reduce == "mean":
                self.count = max(loss.size, 1)
                return xp.asarray(loss.sum() / x.dtype.type(self.count), x.dtype),
            return loss.astype(x.dtype, copy=False),
        mask = t != self.ignore_label
        tt = xp.where(mask, t, 0)
        if x.ndim == 2:
            # plain integer indexing: far less overhead than take_along_axis
            nll = log_s[:, 0] - shifted[xp.arange(len(x)), tt]
        else:
            picked = xp.take_along_axis(shifted, _expand(tt, x.ndim), axis=1)
            nll = (log_s - picked)
            nll = nll.reshape(nll.shape[:1] + nll.shape[2:]) if x.ndim > 1 else nll
        w = mask.astype(x.dtype)
        if self.class_weight is not None:
            w = w * xp.asarray(self.class_weight, x.dtype)[tt]
        self.w = w
        nll = nll * w
        self.y = y if self.cache_score else None
        if self.reduce == "mean":
            if self.normalize:
                self.count = _count.valid_count(xp, mask, x.dtype)
            else:
                self.count = max(x.shape[0], 1)
            return xp.asarray(_count.divide(nll.sum(), self.count, x.dtype), x.dtype),
        return nll.astype(x.dtype, copy=False),

    def _softmax(self, x: Any) -> Any:
        if self.y is not None:
            return self.y
        xp = get_array_module(x)
        e = xp.exp(x - x.max(axis=1, keepdims=True))
        e /= e.sum(axis=1, keepdims=True)
        return e

    def _coeff(self, gy: Any, xp: Any, dtype: Any) -> Any:
        """The per-position scale of the gradient (without the class axis)."""
        if self.reduce == "mean":
            scale = _count.divide(gy, self.count, dtype)
        else:
            scale = gy
        if self.soft:
            return scale
        return scale * self.w

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        x_node, t_node = self.inputs
        x = x_node.data
        t = t_node.data
        xp = get_array_module(x)
        if not _fast_check.backprop_enabled():
            y = self._softmax(x)
            if self.soft:
                gx = y * t.sum(axis=1, keepdims=True) - t
            else:
                gx = y.copy()
                mask = t != self.ignore_label
                if x.ndim == 2:
                    gx[xp.arange(len(x)), xp.where(mask, t, 0)] -= 1
                else:
                    tt = _expand(xp.where(mask, t, 0), x.ndim)
                    xp.put_along_axis(gx, tt, xp.take_along_axis(gx, tt, axis=1) - 1, axis=1)
            coeff = self._coeff(gy._data, xp, x.dtype)
            if coeff.ndim:
                coeff = _expand(coeff, x.ndim)
            gx *= coeff
            return _new(gx.astype(x.dtype, copy=False), False), None
        return self._backward_graph(gy, x, t, xp)

    def _backward_graph(self, gy: Any, x: Any, t: Any, xp: Any) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.exponential import exp, log
        from kusari.functions.math.sum import sum as f_sum

        xv = self.get_retained_inputs()[0]
        # softmax as a differentiable composition; the shift is a constant
        shifted = xv - x.max(axis=1, keepdims=True)
        lse = log(f_sum(exp(shifted), axis=1, keepdims=True))
        p = exp(shifted - broadcast_to(lse, x.shape))
        if self.soft:
            diff = p * t.sum(axis=1, keepdims=True) - t
        else:
            onehot = xp.zeros_like(x)
            tt = _expand(xp.where(t != self.ignore_label, t, 0), x.ndim)
            xp.put_along_axis(onehot, tt, 1, axis=1)
            diff = (p - onehot) * _expand(self.w, x.ndim)
        if self.reduce == "mean":
            coeff = broadcast_to(gy * _count.reciprocal(self.count), x.shape)
        else:
            coeff = broadcast_to(reshape(gy, gy.shape[:1] + (1,) + gy.shape[1:]), x.shape)
        return diff * coeff, None


def softmax_cross_entropy(x: Any, t: Any, normalize: bool = True, cache_score: bool = True,
                          class_weight: Any = None, ignore_label: int = -1,
                          reduce: str = "mean", enable_double_backprop: bool = False,
                          soft_target_loss: str = "cross-entropy") -> variable.Variable:
    """Cross entropy of the softmax of ``x`` and the labels ``t``.

    :math:`\\ell_i = -w_{t_i} \\log \\mathrm{softmax}(x_i)_{t_i}` over the class axis 1;
    positions whose label is ``ignore_label`` contribute 0. With a float ``t`` of
    ``x``'s shape (soft labels) the loss is :math:`-\\sum_c t_c \\log \\mathrm{softmax}(x)_c`
    (or the KL divergence).

    Args:
        x: Scores of shape ``(N, C, *rest)``.
        t: Int labels of shape ``(N, *rest)``, or float soft labels of ``x``'s shape.
        normalize: With ``reduce='mean'``, divide by the number of non-ignored labels;
            otherwise by ``N``.
        cache_score: Keep the softmax from forward for backward.
        class_weight: Optional ``(C,)`` array of per-class weights.
        ignore_label: Label to ignore.
        reduce: ``'mean'`` (a scalar) or ``'no'`` (per-position losses, shaped as ``t``).
        enable_double_backprop: Accepted for compatibility: the gradient is always
            differentiable when the graph is recorded.
        soft_target_loss: ``'cross-entropy'`` or ``'kl-divergence'`` (soft labels only).

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` or ``soft_target_loss`` is invalid, or ``class_weight``
            is not a 1-d array.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.array([[0.0, 0.0], [0.0, 0.0]], numpy.float32)
        >>> t = numpy.array([0, -1], numpy.int32)
        >>> round(float(softmax_cross_entropy(x, t).array), 4)
        0.6931
    """
    if reduce not in ("mean", "no"):
        raise ValueError(f"only 'mean' and 'no' are valid for 'reduce', but '{reduce}' is "
                         "given")
    if soft_target_loss not in ("cross-entropy", "kl-divergence"):
        raise ValueError("soft_target_loss must be 'cross-entropy' or 'kl-divergence'.")
    if class_weight is not None:
        cw = getattr(class_weight, "array", class_weight)
        if not hasattr(cw, "ndim") or cw.ndim != 1:
            raise ValueError("softmax_cross_entropy: class_weight must be a 1-d array")
        xs = x.shape
        if len(xs) >= 2 and cw.shape[0] != xs[1]:
            raise ValueError(f"softmax_cross_entropy: class_weight has {cw.shape[0]} "
                             f"entries for {xs[1]} classes")
        class_weight = cw
    node = SoftmaxCrossEntropy(normalize, cache_score, class_weight, ignore_label, reduce,
                               soft_target_loss)
    return node.apply((x, t))[0]
