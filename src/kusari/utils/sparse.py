"""Sparse matrices in COO format for :func:`kusari.functions.sparse_matmul`."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend, variable


class CooMatrix:
    """A (batch of) sparse matrix in coordinate format.

    Args:
        data: Values of the non-zero entries, shape ``(nnz,)`` or ``(B, nnz)``; entries
            whose ``row`` is negative are padding.
        row: Row indices, same shape as ``data``.
        col: Column indices, same shape as ``data``.
        shape: The dense shape ``(N, M)`` (without the batch axis).
        order: ``'C'`` (sorted by row), ``'F'`` (by column) or None (unknown).
        requires_grad: Whether ``data`` requires a gradient.

    Example:
        >>> import numpy
        >>> m = CooMatrix(numpy.array([1.0, 2.0]), numpy.array([0, 1]), numpy.array([1, 0]),
        ...               (2, 2))
        >>> m.to_dense().tolist()
        [[0.0, 1.0], [2.0, 0.0]]
    """

    def __init__(self, data: Any, row: Any, col: Any, shape: tuple, order: str | None = None,
                 requires_grad: bool = False) -> None:
        if not (1 <= data.ndim <= 2):
            raise ValueError(f"CooMatrix: ndim of data must be 1 or 2, got {data.ndim}")
        if not (data.ndim == row.ndim == col.ndim):
            raise ValueError("CooMatrix: ndim of data, row and col must be the same")
        if len(shape) != 2:
            raise ValueError(f"CooMatrix: length of shape must be 2, got {len(shape)}")
        if order not in ("C", "F", None):
            raise ValueError(f"CooMatrix: order must be 'C', 'F' or None, got {order!r}")
        self.data = variable.Variable(data, requires_grad=requires_grad)
        self.row = row
        self.col = col
        self.shape = tuple(shape)
        self.order = order

    def to_dense(self) -> Any:
        """The dense array, ``(N, M)`` or ``(B, N, M)``."""
        data = self.data.array
        xp = backend.get_array_module(data)
        if data.ndim == 1:
            x = xp.zeros(self.shape, data.dtype)
            ok = self.row >= 0
            xp.add.at(x, (self.row[ok], self.col[ok]), data[ok])
            return x
        x = xp.zeros((len(data),) + self.shape, data.dtype)
        for i in range(len(data)):
            ok = self.row[i] >= 0
            xp.add.at(x[i], (self.row[i][ok], self.col[i][ok]), data[i][ok])
        return x


def get_order(row: Any, col: Any) -> str | None:
    """``'C'`` if the entries are sorted by (row, col), ``'F'`` if by (col, row), else None."""
    row = backend.CpuDevice().send(row).ravel()
    col = backend.CpuDevice().send(col).ravel()
    if len(row) < 2:
        return "C"
    key_c = row.astype(numpy.int64) * (col.max() + 1) + col
    if numpy.all(numpy.diff(key_c) >= 0):
        return "C"
    key_f = col.astype(numpy.int64) * (row.max() + 1) + row
    if numpy.all(numpy.diff(key_f) >= 0):
        return "F"
    return None


def to_coo(x: Any, ldnz: int | None = None, requires_grad: bool = False) -> CooMatrix:
    """Convert a dense ``(N, M)`` or ``(B, N, M)`` array to a :class:`CooMatrix`.

    Args:
        x: The dense array.
        ldnz: Capacity per matrix (at least the largest number of non-zeros); the rest is
            padding with ``row == col == -1``.
        requires_grad: Whether the result's ``data`` requires a gradient.

    Returns:
        The sparse matrix, in ``'C'`` order.

    Example:
        >>> import numpy
        >>> to_coo(numpy.array([[0.0, 1.0], [2.0, 0.0]])).data.array.tolist()
        [1.0, 2.0]
    """
    if isinstance(x, variable.Variable):
        x = x.array
    xp = backend.get_array_module(x)
    if x.ndim == 2:
        row, col = xp.nonzero(x)
        nnz = len(row)
        n = nnz if ldnz is None else ldnz
        if n < nnz:
            raise ValueError(f"to_coo: ldnz ({ldnz}) is smaller than the number of non-zero "
                             f"elements ({nnz})")
        data = xp.zeros(n, x.dtype)
        r = xp.full(n, -1, numpy.int32)
        c = xp.full(n, -1, numpy.int32)
        data[:nnz] = x[row, col]
        r[:nnz] = row
        c[:nnz] = col
        return CooMatrix(data, r, c, x.shape, order="C", requires_grad=requires_grad)
    if x.ndim != 3:
        raise ValueError(f"to_coo: ndim of x must be 2 or 3, got {x.ndim}")
    nnzs = [int((xi != 0).sum()) for xi in x]
    n = max(nnzs) if ldnz is None else ldnz
    if n < max(nnzs):
        raise ValueError(f"to_coo: ldnz ({ldnz}) is smaller than the number of non-zero "
                         f"elements ({max(nnzs)})")
    data = xp.zeros((len(x), n), x.dtype)
    r = xp.full((len(x), n), -1, numpy.int32)
    c = xp.full((len(x), n), -1, numpy.int32)
    for i, xi in enumerate(x):
        row, col = xp.nonzero(xi)
        k = len(row)
        data[i, :k] = xi[row, col]
        r[i, :k] = row
        c[i, :k] = col
    return CooMatrix(data, r, c, x.shape[1:], order="C", requires_grad=requires_grad)
