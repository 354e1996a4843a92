"""Linear layer with simplified DropConnect."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import scale_by
from kusari.utils import force_array, size_of_shape, type_check

_new = variable.Variable._new


class SimplifiedDropconnect(FunctionNode):
    """``y_n = (W * M_n / (1 - ratio)) x_n + b`` with a Bernoulli mask ``M`` on the weights."""

    def __init__(self, ratio: float, mask: Any = None, use_batchwise_mask: bool = True) -> None:
        self.ratio = ratio
        if isinstance(mask, variable.Variable):
            mask = mask.array
        self.mask = mask
        self.use_batchwise_mask = use_batchwise_mask

    def check_type_forward(self, in_types: Any) -> None:
        n_in = in_types.size()
        type_check.expect(2 <= n_in, n_in <= 3)
        x_type, w_type = in_types[:2]
        type_check.argname((x_type, w_type), ("x", "W"))
        type_check.expect(
            x_type.dtype.kind == "f",
            w_type.dtype.kind == "f",
            x_type.ndim >= 2,
            w_type.ndim == 2,
            type_check.prod(x_type.shape[1:]) == w_type.shape[1],
        )
        if type_check.eval(n_in) == 3:
            b_type = in_types[2]
            type_check.argname((b_type,), ("b",))
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[0],
            )
        if self.mask is not None:
            if self.use_batchwise_mask:
                type_check.expect(
                    self.mask.shape[0] == x_type.shape[0],
                    self.mask.shape[1:] == w_type.shape,
                )
            else:
                type_check.expect(self.mask.shape == w_type.shape)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x, W = inputs[0], inputs[1]
        xp = get_array_module(x)
        if self.mask is None:
            shape = ((len(x),) if self.use_batchwise_mask else ()) + W.shape
            if xp is numpy:
                self.mask = numpy.random.rand(*shape) >= self.ratio
            else:
                self.mask = xp.random.rand(*shape, dtype=numpy.float32) >= self.ratio
        scale = W.dtype.type(1.0 / (1 - self.ratio))
        xm = x.reshape(len(x), -1)
        Wm = W * self.mask
        if Wm.ndim == 3:
            y = xp.einsum("nij,nj->ni", Wm, xm)
        else:
            y = xm.dot(Wm.T)
        y = force_array(y * scale, x.dtype)
        if len(inputs) == 3:
            y += inputs[2]
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        scale = 1.0 / (1 - self.ratio)
        x_shape = self.inputs[0].shape
        n = x_shape[0]
        m = size_of_shape(x_shape[1:])
        mask = self.mask if self.mask.ndim == 3 else self.mask[None]
        if not _fast_check.backprop_enabled():
            x = self.inputs[0].data.reshape(n, m)
            W = self.inputs[1].data
            g = gy._data
            xp = get_array_module(g)
            ret = []
            for i in indexes:
                if i == 0:
                    gx = xp.einsum("ni,nij->nj", g, W * mask) * scale
                    ret.append(_new(force_array(gx, x.dtype).reshape(x_shape), False))
                elif i == 1:
                    gW = xp.einsum("ni,nj,nij->ij", g, x, mask) * scale
                    ret.append(_new(force_array(gW, W.dtype), False))
                else:
                    ret.append(_new(g.sum(axis=0), False))
            return tuple(ret)
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.sum import sum as f_sum

        x, W = self.get_retained_inputs()
        out = W.shape[0]
        full = (n, out, m)
        g3 = broadcast_to(reshape(gy, (n, out, 1)), full)
        ret = []
        for i in indexes:
            if i == 0:
                Wb = broadcast_to(reshape(W, (1, out, m)), full)
                gx = f_sum(scale_by(g3 * Wb, mask), axis=1) * scale
                ret.append(reshape(gx, x_shape))
            elif i == 1:
                xb = broadcast_to(reshape(x, (n, 1, m)), full)
                ret.append(f_sum(scale_by(g3 * xb, mask), axis=0) * scale)
            else:
                ret.append(f_sum(gy, axis=0))
        return tuple(ret)


def simplified_dropconnect(
    x: Any, W: Any, b: Any = None, ratio: float = 0.5, train: bool = True, mask: Any = None,
    use_batchwise_mask: bool = True,
) -> variable.Variable:
    """Linear function with simplified DropConnect: each weight is dropped with
    probability ``ratio`` and the rest scaled by :math:`1 / (1 - \\mathrm{ratio})`.

    :math:`y_n = (W \\odot M_n) x_n / (1 - p) + b`. With ``train=False`` the ratio is 0
    (the plain linear function). The mask is drawn from ``numpy.random`` on the CPU.

    Args:
        x: Input of shape ``(n, ...)``, flattened to ``(n, in_size)``.
        W: Weight of shape ``(out_size, in_size)``.
        b: Bias of shape ``(out_size,)``, or None.
        ratio: Dropconnect probability.
        train: Training mode (this function takes the flag, as in Chainer).
        mask: A boolean mask to use, shape ``(n, out_size, in_size)`` (or
            ``(out_size, in_size)`` without ``use_batchwise_mask``).
        use_batchwise_mask: Draw a different mask for each sample.

    Returns:
        Output of shape ``(n, out_size)``.

    Raises:
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> x = numpy.ones((2, 3), numpy.float32)
        >>> W = numpy.ones((4, 3), numpy.float32)
        >>> simplified_dropconnect(x, W, train=False).array.tolist()[0]
        [3.0, 3.0, 3.0, 3.0]
    """
    if not train:
        ratio = 0
    args = (x, W) if b is None else (x, W, b)
    return SimplifiedDropconnect(ratio, mask, use_batchwise_mask).apply(args)[0]
