"""Determinants of square matrices."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import force_array, type_check


def _fast(ndim: int) -> Any:
    def check(in_data: tuple) -> bool:
        a = in_data[0]
        return a.dtype.kind == "f" and a.ndim == ndim and a.shape[-1] == a.shape[-2]

    return check


def _compute_dtype(dtype: Any) -> Any:
    # LAPACK has no float16: compute in float32 and cast back
    return numpy.float32 if dtype == numpy.float16 else dtype


class BatchDet(FunctionNode):
    """Determinants of a batch ``(B, N, N)``; ``d det(A) = det(A) inv(A)^T``."""

    _fast_check = staticmethod(_fast(3))
    _ndim = 3

    @property
    def label(self) -> str:
        return "det"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        a = in_types[0]
        type_check.expect(a.dtype.kind == "f")
        type_check.expect(a.ndim == self._ndim)
        type_check.expect(a.shape[-1] == a.shape[-2])

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        a, = inputs
        xp = get_array_module(a)
        y = xp.linalg.det(a.astype(_compute_dtype(a.dtype), copy=False))
        return force_array(y, a.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.broadcast import broadcast_to
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.inv import batch_inv, inv

        a, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        shape = gy.shape + (1, 1)
        coef = broadcast_to(reshape(gy * y, shape), a.shape)
        a_inv = batch_inv(a) if self._ndim == 3 else inv(a)
        axes = (0, 2, 1) if self._ndim == 3 else (1, 0)
        from kusari.functions.array.transpose import transpose

        return coef * transpose(a_inv, axes),


class Det(BatchDet):
    """Determinant of one ``(N, N)`` matrix."""

    _fast_check = staticmethod(_fast(2))
    _ndim = 2


def batch_det(a: Any) -> variable.Variable:
    """Determinant of each matrix in a batch ``(B, N, N)``.

    Args:
        a: Float Variable or array of shape ``(B, N, N)``.

    Returns:
        A Variable of shape ``(B,)``.

    Raises:
        kusari.utils.type_check.InvalidType: ``a`` is not float, not 3-D or not square.

    Example:
        >>> import numpy
        >>> a = numpy.stack([numpy.eye(2, dtype=numpy.float32) * 2] * 3)
        >>> batch_det(a).array.tolist()
        [4.0, 4.0, 4.0]
    """
    return BatchDet().apply((a,))[0]


def det(a: Any) -> variable.Variable:
    """Determinant of a square matrix.

    The gradient is ``det(a) inv(a)^T`` (so ``a`` must be invertible for backward).

    Args:
        a: Float Variable or array of shape ``(N, N)``.

    Returns:
        A 0-dimensional Variable.

    Raises:
        kusari.utils.type_check.InvalidType: ``a`` is not float, not 2-D or not square.

    Example:
        >>> import numpy
        >>> det(numpy.array([[1.0, 2.0], [3.0, 4.0]], numpy.float32)).array.round(4).item()
        -2.0
    """
    return Det().apply((a,))[0]
