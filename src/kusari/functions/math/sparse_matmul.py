"""Product of a sparse COO matrix and a dense one."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils.sparse import CooMatrix


def _valid(row: Any, col: Any) -> tuple:
    ok = row >= 0
    return ok, row * ok, col * ok


class CooToDense(FunctionNode):
    """Scatter COO ``data`` into a dense ``(B?, N, M)`` array; the gradient gathers."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, row: Any, col: Any, shape: tuple) -> None:
        self.row = row
        self.col = col
        self.shape = shape

    def forward(self, inputs: tuple) -> tuple:
        data, = inputs
        xp = get_array_module(data)
        ok, row, col = _valid(self.row, self.col)
        vals = data * ok
        if data.ndim == 1:
            x = xp.zeros(self.shape, data.dtype)
            xp.add.at(x, (row, col), vals)
        else:
            x = xp.zeros((len(data),) + self.shape, data.dtype)
            batch = xp.broadcast_to(xp.arange(len(data))[:, None], data.shape)
            xp.add.at(x, (batch, row, col), vals)
        return x,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return CooGather(self.row, self.col, self.shape).apply(grad_outputs)


class CooGather(FunctionNode):
    """Read a dense array at the COO positions (0 for padding); the gradient scatters."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, row: Any, col: Any, shape: tuple) -> None:
        self.row = row
        self.col = col
        self.shape = shape

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        xp = get_array_module(x)
        ok, row, col = _valid(self.row, self.col)
        if x.ndim == 2:
            vals = x[row, col]
        else:
            batch = xp.broadcast_to(xp.arange(len(x))[:, None], row.shape)
            vals = x[batch, row, col]
        return (vals * ok).astype(x.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return CooToDense(self.row, self.col, self.shape).apply(grad_outputs)


def sparse_matmul(a: Any, b: Any, transa: bool = False,
                  transb: bool = False) -> variable.Variable:
    """Matrix product where one operand is a :class:`kusari.utils.CooMatrix`.

    ``op(a) @ op(b)`` for 2-D operands, or batched for a batch of sparse matrices
    (``data`` of shape ``(B, nnz)``) with a 3-D dense operand. The sparse operand is
    scattered into a dense matrix for the product, so gradients (including double
    backprop) reach both ``a.data``/``b.data`` and the dense operand.

    Args:
        a: A CooMatrix or a dense Variable/array.
        b: A dense Variable/array or a CooMatrix (exactly one must be sparse).
        transa: Transpose ``a`` first.
        transb: Transpose ``b`` first.

    Returns:
        The dense product.

    Raises:
        ValueError: Neither or both operands are sparse.

    Example:
        >>> import numpy
        >>> from kusari.utils.sparse import to_coo
        >>> sp = to_coo(numpy.array([[0.0, 2.0], [1.0, 0.0]], numpy.float32))
        >>> sparse_matmul(sp, numpy.eye(2, dtype=numpy.float32)).array.tolist()
        [[0.0, 2.0], [1.0, 0.0]]
    """
    from kusari.functions.math.matmul import matmul

    a_sp, b_sp = isinstance(a, CooMatrix), isinstance(b, CooMatrix)
    if a_sp == b_sp:
        raise ValueError("sparse_matmul: exactly one of a and b must be a CooMatrix")
    if a_sp:
        b = variable.as_variable(b)
        if a.data.dtype != b.dtype:
            raise ValueError(f"sparse_matmul: dtype mismatch: {a.data.dtype} != {b.dtype}")
        dense = CooToDense(a.row, a.col, a.shape).apply((a.data,))[0]
        return matmul(dense, b, transa, transb)
    a = variable.as_variable(a)
    if b.data.dtype != a.dtype:
        raise ValueError(f"sparse_matmul: dtype mismatch: {a.dtype} != {b.data.dtype}")
    dense = CooToDense(b.row, b.col, b.shape).apply((b.data,))[0]
    return matmul(a, dense, transa, transb)
