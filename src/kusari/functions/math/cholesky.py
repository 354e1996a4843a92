"""Cholesky decomposition of a symmetric positive-definite matrix."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


class Cholesky(FunctionNode):
    """Lower-triangular ``L`` with ``L L^T = A``.

    With ``Phi`` taking the lower triangle and halving the diagonal, the gradient is
    ``S = L^-T Phi(L^T gL) L^-1`` symmetrized: ``(S + S^T) / 2``.
    """

    _fast_check = staticmethod(_fast_check.first_float)

    @property
    def label(self) -> str:
        return "cholesky"

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("a",))
        a = in_types[0]
        type_check.expect(a.dtype.kind == "f", a.ndim == 2)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        a, = inputs
        xp = get_array_module(a)
        return xp.linalg.cholesky(a).astype(a.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.transpose import transpose
        from kusari.functions.math.inv import inv
        from kusari.functions.math.matmul import matmul

        L, = self.get_retained_outputs()
        gL, = grad_outputs
        xp = get_array_module(L.array)
        n = L.shape[0]
        phi_mask = xp.tril(xp.ones((n, n), L.dtype)) - 0.5 * xp.eye(n, dtype=L.dtype)
        L_inv = inv(L)
        P = matmul(L, gL, transa=True) * phi_mask
        S = matmul(matmul(L_inv, P, transa=True), L_inv)
        return 0.5 * (S + transpose(S)),


def cholesky(a: Any) -> variable.Variable:
    """Cholesky factor of a symmetric positive-definite matrix.

    Args:
        a: Float Variable or array of shape ``(N, N)``.

    Returns:
        The lower-triangular ``L`` with ``L @ L.T == a``.

    Raises:
        kusari.utils.type_check.InvalidType: ``a`` is not float or not 2-D.

    Example:
        >>> import numpy
        >>> cholesky(numpy.array([[4.0, 2.0], [2.0, 2.0]])).array.tolist()
        [[2.0, 0.0], [1.0, 1.0]]
    """
    return Cholesky().apply((a,))[0]
