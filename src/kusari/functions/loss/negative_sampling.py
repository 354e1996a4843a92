"""Negative sampling loss (word2vec): one positive and ``sample_size`` sampled negatives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check

_new = variable.Variable._new


def _sigmoid(x: Any, xp: Any) -> Any:
    half = x.dtype.type(0.5)
    return xp.tanh(x * half) * half + half


class NegativeSamplingFunction(FunctionNode):
    """The fused loss: gathers the sampled rows of ``W`` once, one einsum forward.

    ``samples`` (set by forward) holds the positive id in column 0 and the negatives
    after it. Rows whose label is ``-1`` are ignored (zero loss, no gradient).
    """

    ignore_label = -1
    samples = None

    def __init__(self, sampler: Callable, sample_size: int, reduce: str = "sum") -> None:
        if reduce not in ("sum", "no"):
            raise ValueError(
                f"only 'sum' and 'no' are valid for 'reduce', but '{reduce}' is given")
        self.sampler = sampler
        self.sample_size = sample_size
        self.reduce = reduce

    def _fast_check(self, in_data: tuple) -> bool:
        x, t, W = in_data
        return (x.dtype.kind == "f" and x.ndim == 2 and t.dtype == numpy.int32
                and t.ndim == 1 and x.shape[0] == t.shape[0] and W.dtype == x.dtype
                and W.ndim == 2)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x", "t", "W"))
        x_type, t_type, w_type = in_types
        type_check.expect(
            x_type.dtype.kind == "f",
            x_type.ndim == 2,
            t_type.dtype == numpy.int32,
            t_type.ndim == 1,
            x_type.shape[0] == t_type.shape[0],
            w_type.dtype == x_type.dtype,
            w_type.ndim == 2,
        )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 2))
        x, t, W = inputs
        xp = get_array_module(x)
        samples = self.sampler((int(t.shape[0]), self.sample_size + 1))
        samples = xp.asarray(samples).astype(xp.int32, copy=True)
        samples[:, 0] = t
        self.samples = samples
        self.mask = t != self.ignore_label
        # fp16 is summed in fp32 (as Chainer does) and cast back
        ct = numpy.dtype(numpy.float32 if x.dtype == numpy.float16 else x.dtype)
        xc, Wc = x.astype(ct, copy=False), W.astype(ct, copy=False)
        wx = xp.einsum("ikj,ij->ik", Wc[xp.where(self.mask[:, None], samples, 0)], xc)
        wx[:, 0] *= -1
        self.wx = wx
        loss = xp.logaddexp(wx, ct.type(0)).sum(axis=1)
        loss *= self.mask
        if self.reduce == "sum":
            loss = loss.sum()
        return xp.asarray(loss, x.dtype),

    def _coeffs(self, gloss: Any, xp: Any) -> Any:
        """``d loss_i / d (W_{s_ik} . x_i)`` times the upstream gradient, ``(B, S + 1)``."""
        g = _sigmoid(self.wx, xp)
        g[:, 0] *= -1
        g *= self.mask[:, None]
        gl = gloss if self.reduce == "sum" else gloss[:, None]
        return g * gl.astype(g.dtype, copy=False)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gloss, = grad_outputs
        ids = self.samples.copy()
        ids[~self.mask] = -1
        if not _fast_check.backprop_enabled():
            x = self.inputs[0].data
            W = self.inputs[2].data
            xp = get_array_module(x)
            g = self._coeffs(gloss._data, xp)
            ret = []
            for i in indexes:
                if i == 0:
                    w = W.astype(g.dtype, copy=False)[xp.maximum(ids, 0)]
                    ret.append(_new(xp.einsum("ik,ikj->ij", g, w).astype(x.dtype), False))
                elif i == 2:
                    gW = xp.zeros(W.shape, g.dtype)
                    gw = g[:, :, None] * x.astype(g.dtype, copy=False)[:, None, :]
                    if xp is numpy:
                        numpy.add.at(gW, ids[self.mask], gw[self.mask])
                    else:
                        import cupyx

                        cupyx.scatter_add(gW, ids[self.mask], gw[self.mask])
                    ret.append(_new(gW.astype(W.dtype), False))
                else:
                    ret.append(None)
            return tuple(ret)
        return self._backward_graph(indexes, gloss, ids)

    def _backward_graph(self, indexes: tuple, gloss: Any, ids: Any) -> tuple:
        from kusari.functions.activation.sigmoid import sigmoid
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.expand_dims import expand_dims
        from kusari.functions.connection.embed_id import EmbedIDGrad, embed_id
        from kusari.functions.math.einsum import einsum

        x, W = self.get_retained_inputs()
        xp = get_array_module(x.array)
        w = embed_id(ids, W, ignore_label=-1)                  # (B, S+1, D), zero if ignored
        sign = xp.ones(ids.shape, x.dtype)
        sign[:, 0] = -1
        f = einsum("ikj,ij->ik", w, x) * sign
        gl = gloss if self.reduce == "sum" else expand_dims(gloss, 1)
        g = sigmoid(f) * sign * self.mask[:, None].astype(x.dtype) * broadcast_to(
            gl, ids.shape)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(einsum("ik,ikj->ij", g, w))
            elif i == 2:
                gw = einsum("ik,ij->ikj", g, x)
                ret.append(EmbedIDGrad(ids, W.shape[0], -1).apply((gw,))[0])
            else:
                ret.append(None)
        return tuple(ret)


def negative_sampling(x: Any, t: Any, W: Any, sampler: Callable, sample_size: int,
                      reduce: str = "sum", **kwargs: Any) -> Any:
    """Negative sampling loss.

    :math:`\\ell_i = \\log(1 + \\exp(-W_{t_i}^\\top x_i))
    + \\sum_{s \\in S_i} \\log(1 + \\exp(W_s^\\top x_i))`, where ``S_i`` holds
    ``sample_size`` ids drawn by ``sampler``; rows with ``t_i = -1`` are ignored.

    Args:
        x: Input of shape ``(B, D)``.
        t: Labels, int32, shape ``(B,)``.
        W: Weight matrix ``(V, D)``.
        sampler: Callable taking a shape and returning that many int ids in ``[0, V)``.
        sample_size: Number of negatives per row.
        reduce: ``'sum'`` (a scalar) or ``'no'`` (shape ``(B,)``).
        **kwargs: ``return_samples`` (default False): also return the ``(B, S + 1)``
            sample array (the positive in column 0).

    Returns:
        The loss Variable, or ``(loss, samples)`` with ``return_samples=True``.

    Raises:
        ValueError: ``reduce`` is neither ``'sum'`` nor ``'no'``.
        TypeError: An unknown keyword argument.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> x = numpy.zeros((2, 3), numpy.float32)
        >>> W = numpy.ones((5, 3), numpy.float32)
        >>> sampler = lambda shape: numpy.zeros(shape, numpy.int32)
        >>> t = numpy.array([1, 2], numpy.int32)
        >>> round(float(negative_sampling(x, t, W, sampler, 2).array), 4)  # 6 log 2
        4.1589
    """
    return_samples = kwargs.pop("return_samples", False)
    if kwargs:
        names = ", ".join(repr(k) for k in kwargs)
        raise TypeError(f"negative_sampling() got unexpected keyword argument(s) {names}")
    func = NegativeSamplingFunction(sampler, sample_size, reduce)
    out = func.apply((x, t, W))[0]
    if return_samples:
        return out, func.samples
    return out
