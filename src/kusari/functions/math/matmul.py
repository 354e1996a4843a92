"""Matrix products with NumPy's ``matmul`` semantics (batched, broadcasting)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, sum_to, type_check


def _swap(a: Any) -> Any:
    return a.swapaxes(-1, -2) if a.ndim >= 2 else a


def _matmul_check(in_types: Any, transa: bool, transb: bool) -> None:
    type_check.expect(in_types.size() == 2)
    type_check.argname(in_types, ("a", "b"))
    a, b = in_types
    type_check.expect(
        a.dtype.kind == "f",
        a.dtype == b.dtype,
        a.ndim >= 1,
        b.ndim >= 1,
    )
    a_ndim = type_check.eval(a.ndim)
    b_ndim = type_check.eval(b.ndim)
    ai = -1 if a_ndim == 1 else (-2 if transa else -1)
    bi = -1 if b_ndim == 1 else (-1 if transb else -2)
    type_check.expect(a.shape[ai] == b.shape[bi])
    if a_ndim > 2 or b_ndim > 2:
        a_batch = type_check.eval(a.shape)[:-2]
        b_batch = type_check.eval(b.shape)[:-2]
        type_check.expect_broadcast_shapes(
            type_check.make_variable(a_batch, "a.shape[:-2]"),
            type_check.make_variable(b_batch, "b.shape[:-2]"),
        )


class MatMul(FunctionNode):
    """``matmul(a, b)`` with optional transposition of the last two axes."""

    _fast_check = staticmethod(_fast_check.float_inputs)

    def __init__(self, transa: bool = False, transb: bool = False, transc: bool = False,
                 dtype: Any = None) -> None:
        self.transa = transa
        self.transb = transb
        self.transc = transc
        self.dtype = dtype

    @property
    def label(self) -> str:
        return "MatMul"

    def check_type_forward(self, in_types: Any) -> None:
        _matmul_check(in_types, self.transa, self.transb)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        a, b = inputs
        if self.transa:
            a = _swap(a)
        if self.transb:
            b = _swap(b)
        if a.ndim == 2 and b.ndim == 2:
            y = a.dot(b)
        else:
            from kusari.backend import get_array_module

            y = get_array_module(a).matmul(a, b)
        if self.transc:
            y = _swap(y)
        if self.dtype is not None and y.dtype != self.dtype:
            y = y.astype(self.dtype)
        return force_array(y),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        a, b = self.get_retained_inputs()
        gy, = grad_outputs
        if self.transc:
            gy = _vswap(gy)
        if not _fast_check.backprop_enabled():
            ga, gb = _matmul_grad_arrays(a.array, b.array, gy.array, self.transa, self.transb,
                                         indexes)
            return tuple(variable.Variable._new(g, False) for g in (ga, gb) if g is not None)
        return _matmul_grad_vars(a, b, gy, self.transa, self.transb, indexes)


def _vswap(v: Any) -> Any:
    from kusari.functions.array.transpose import transpose

    if v.ndim < 2:
        return v
    axes = list(range(v.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return transpose(v, axes)


def _matmul_grad_arrays(a: Any, b: Any, gy: Any, transa: bool, transb: bool,
                        indexes: tuple) -> tuple:
    """Array gradients of ``y = op(a) @ op(b)`` (the fast path without double backprop)."""
    from kusari.backend import get_array_module

    xp = get_array_module(a)
    a_ = _swap(a) if transa else a
    b_ = _swap(b) if transb else b
    a2 = a_[None, :] if a_.ndim == 1 else a_
    b2 = b_[:, None] if b_.ndim == 1 else b_
    g2 = gy
    if a_.ndim == 1 and b_.ndim == 1:
        g2 = gy.reshape(1, 1)
    else:
        if a_.ndim == 1:
            g2 = g2[..., None, :]
        if b_.ndim == 1:
            g2 = g2[..., None]
    ga = gb = None
    if 0 in indexes:
        if g2.ndim == 2 and b2.ndim == 2:
            ga2 = g2.dot(b2.T)
        else:
            ga2 = xp.matmul(g2, _swap(b2))
        if a_.ndim == 1:
            ga2 = ga2.reshape(ga2.shape[:-2] + (ga2.shape[-1],))
            ga2 = sum_to(ga2, a_.shape)
        else:
            ga2 = sum_to(ga2, a_.shape)
        ga = _swap(ga2) if transa else ga2
        ga = xp.ascontiguousarray(ga).astype(a.dtype, copy=False)
    if 1 in indexes:
        if g2.ndim == 2 and a2.ndim == 2:
            gb2 = a2.T.dot(g2)
        else:
            gb2 = xp.matmul(_swap(a2), g2)
        if b_.ndim == 1:
            gb2 = gb2.reshape(gb2.shape[:-1])
        gb2 = sum_to(gb2, b_.shape)
        gb = _swap(gb2) if transb else gb2
        gb = xp.ascontiguousarray(gb).astype(b.dtype, copy=False)
    return ga, gb


def _matmul_grad_vars(a: Any, b: Any, gy: Any, transa: bool, transb: bool,
                      indexes: tuple) -> tuple:
    """Differentiable gradients (for double backprop)."""
    from kusari.functions.array.reshape import reshape
    from kusari.functions.math.sum import sum_to as f_sum_to

    a_ = _vswap(a) if transa else a
    b_ = _vswap(b) if transb else b
    a2 = reshape(a_, (1,) + a_.shape) if a_.ndim == 1 else a_
    b2 = reshape(b_, b_.shape + (1,)) if b_.ndim == 1 else b_
    g2 = gy
    if a_.ndim == 1 and b_.ndim == 1:
        g2 = reshape(g2, (1, 1))
    else:
        if a_.ndim == 1:
            g2 = reshape(g2, g2.shape[:-1] + (1, g2.shape[-1]))
        if b_.ndim == 1:
            g2 = reshape(g2, g2.shape + (1,))
    ret = []
    if 0 in indexes:
        ga = matmul(g2, b2, transb=True)
        if a_.ndim == 1:
            ga = reshape(ga, ga.shape[:-2] + (ga.shape[-1],))
        ga = f_sum_to(ga, a_.shape)
        ret.append(_vswap(ga) if transa else ga)
    if 1 in indexes:
        gb = matmul(a2, g2, transa=True)
        if b_.ndim == 1:
            gb = reshape(gb, gb.shape[:-1])
        gb = f_sum_to(gb, b_.shape)
        ret.append(_vswap(gb) if transb else gb)
    return tuple(ret)


def matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> variable.Variable:
    """Matrix product ``op(a) @ op(b)``, batched and broadcasting like ``numpy.matmul``.

    Args:
        a: Left operand (ndim >= 1).
        b: Right operand (ndim >= 1).
        transa: Swap the last two axes of ``a`` first.
        transb: Swap the last two axes of ``b`` first.

    Returns:
        The product.

    Raises:
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> a = numpy.ones((2, 3), numpy.float32)
        >>> matmul(a, a, transb=True).array.tolist()
        [[3.0, 3.0], [3.0, 3.0]]
    """
    return MatMul(transa=transa, transb=transb).apply((a, b))[0]


def batch_matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> variable.Variable:
    """Batched matrix product of ``(B, N, M)`` arrays (vectors are treated as columns).

    Example:
        >>> import numpy
        >>> batch_matmul(numpy.ones((4, 2, 3)), numpy.ones((4, 3, 5))).shape
        (4, 2, 5)
    """
    from kusari.functions.array.reshape import reshape

    if a.ndim == 2:
        a = reshape(a, a.shape + (1,))
    if b.ndim == 2:
        b = reshape(b, b.shape + (1,))
    return matmul(a, b, transa, transb)
