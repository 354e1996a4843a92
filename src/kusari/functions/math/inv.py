"""Matrix inverses."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.math.det import _compute_dtype, _fast
from kusari.utils import type_check


class BatchInv(FunctionNode):
    """Inverse of each ``(N, N)`` matrix; ``d inv(A) = -inv(A)^T gy inv(A)^T``."""

    _fast_check = staticmethod(_fast(3))
    _ndim = 3

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("a",))
        a = in_types[0]
        type_check.expect(a.dtype.kind == "f")
        type_check.expect(a.ndim == self._ndim)
        type_check.expect(a.shape[-1] == a.shape[-2])

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        a, = inputs
        xp = get_array_module(a)
        try:
            y = xp.linalg.inv(a.astype(_compute_dtype(a.dtype), copy=False))
        except xp.linalg.LinAlgError:
            raise ValueError("Input has singular matrices.") from None
        if not xp.isfinite(y).all():
            raise ValueError("Input has singular matrices.")
        return y.astype(a.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.matmul import matmul

        y, = self.get_retained_outputs()
        gy, = grad_outputs
        return -matmul(matmul(y, gy, transa=True), y, transb=True),


class Inv(BatchInv):
    _fast_check = staticmethod(_fast(2))
    _ndim = 2


def batch_inv(a: Any) -> variable.Variable:
    """Inverse of each matrix in a batch ``(B, N, N)``.

    Raises:
        ValueError: A matrix is singular.
        kusari.utils.type_check.InvalidType: ``a`` is not float, not 3-D or not square.

    Example:
        >>> import numpy
        >>> a = numpy.stack([numpy.eye(2, dtype=numpy.float32) * 2] * 3)
        >>> batch_inv(a).array[0].tolist()
        [[0.5, 0.0], [0.0, 0.5]]
    """
    return BatchInv().apply((a,))[0]


def inv(a: Any) -> variable.Variable:
    """Inverse of a square matrix.

    Args:
        a: Float Variable or array of shape ``(N, N)``.

    Returns:
        The inverse.

    Raises:
        ValueError: ``a`` is singular.
        kusari.utils.type_check.InvalidType: ``a`` is not float, not 2-D or not square.

    Example:
        >>> import numpy
        >>> inv(numpy.array([[2.0, 0.0], [0.0, 4.0]], numpy.float32)).array.tolist()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    return Inv().apply((a,))[0]
