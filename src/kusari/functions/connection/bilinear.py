"""Bilinear function: ``y = e1^T W e2 + V1^T e1 + V2^T e2 + b`` per sample."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.utils import type_check


def _as_mat(x: Any) -> Any:
    return x if x.ndim == 2 else x.reshape(len(x), -1)


class BilinearFunction(FunctionNode):
    """The fused bilinear node; its gradients are einsums, so it is differentiable again."""

    def check_type_forward(self, in_types: Any) -> None:
        n_in = type_check.eval(in_types.size())
        if n_in != 3 and n_in != 6:
            raise type_check.InvalidType(
                f"{in_types.size() == 3} or {in_types.size() == 6}",
                f"{in_types.size()} == {n_in}")
        type_check.argname(in_types, ("e1", "e2", "W", "V1", "V2", "b")[:n_in])
        e1_type, e2_type, w_type = in_types[:3]
        type_check.expect(
            e1_type.dtype == numpy.float32,
            e1_type.ndim >= 2,
            e2_type.dtype == numpy.float32,
            e2_type.ndim >= 2,
            e1_type.shape[0] == e2_type.shape[0],
            w_type.dtype == numpy.float32,
            w_type.ndim == 3,
            type_check.prod(e1_type.shape[1:]) == w_type.shape[0],
            type_check.prod(e2_type.shape[1:]) == w_type.shape[1],
        )
        if n_in == 6:
            out_size = w_type.shape[2]
            v1_type, v2_type, b_type = in_types[3:]
            type_check.expect(
                v1_type.dtype == numpy.float32,
                v1_type.ndim == 2,
                v1_type.shape[0] == w_type.shape[0],
                v1_type.shape[1] == out_size,
                v2_type.dtype == numpy.float32,
                v2_type.ndim == 2,
                v2_type.shape[0] == w_type.shape[1],
                v2_type.shape[1] == out_size,
                b_type.dtype == numpy.float32,
                b_type.ndim == 1,
                b_type.shape[0] == out_size,
            )

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs(tuple(range(len(inputs))))
        e1, e2, W = _as_mat(inputs[0]), _as_mat(inputs[1]), inputs[2]
        xp = get_array_module(e1)
        y = xp.einsum("ij,ik,jkl->il", e1, e2, W, optimize=True)
        if len(inputs) == 6:
            V1, V2, b = inputs[3:]
            y += e1.dot(V1)
            y += e2.dot(V2)
            y += b
        return y.astype(e1.dtype, copy=False),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.array.reshape import reshape
        from kusari.functions.math.einsum import einsum
        from kusari.functions.math.matmul import matmul
        from kusari.functions.math.sum import sum as f_sum

        inputs = self.get_retained_inputs()
        e1v, e2v, W = inputs[:3]
        e1 = reshape(e1v, (e1v.shape[0], -1)) if e1v.ndim != 2 else e1v
        e2 = reshape(e2v, (e2v.shape[0], -1)) if e2v.ndim != 2 else e2v
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                g = einsum("ik,jkl,il->ij", e2, W, gy)
                if len(inputs) == 6:
                    g = g + matmul(gy, inputs[3], transb=True)
                ret.append(reshape(g, e1v.shape) if e1v.ndim != 2 else g)
            elif i == 1:
                g = einsum("ij,jkl,il->ik", e1, W, gy)
                if len(inputs) == 6:
                    g = g + matmul(gy, inputs[4], transb=True)
                ret.append(reshape(g, e2v.shape) if e2v.ndim != 2 else g)
            elif i == 2:
                ret.append(einsum("ij,ik,il->jkl", e1, e2, gy))
            elif i == 3:
                ret.append(matmul(e1, gy, transa=True))
            elif i == 4:
                ret.append(matmul(e2, gy, transa=True))
            else:
                ret.append(f_sum(gy, axis=0))
        return tuple(ret)


def bilinear(e1: Any, e2: Any, W: Any, V1: Any = None, V2: Any = None,
             b: Any = None) -> variable.Variable:
    """Bilinear function of two batches of vectors.

    :math:`y_{il} = \\sum_{jk} e^1_{ij} e^2_{ik} W_{jkl} + \\sum_j e^1_{ij} V^1_{jl}
    + \\sum_k e^2_{ik} V^2_{kl} + b_l` (the linear terms only when ``V1``, ``V2`` and ``b``
    are given). Inputs with more than two axes are flattened after the batch axis.

    Args:
        e1: Left input ``(i, j)`` (float32).
        e2: Right input ``(i, k)`` (float32).
        W: Quadratic coefficients ``(j, k, l)``.
        V1: Left linear coefficients ``(j, l)`` or None.
        V2: Right linear coefficients ``(k, l)`` or None.
        b: Bias ``(l,)`` or None.

    Returns:
        Output of shape ``(i, l)``.

    Raises:
        ValueError: Some but not all of ``V1``, ``V2`` and ``b`` are None.
        kusari.utils.type_check.InvalidType: The shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> e1 = numpy.ones((2, 3), numpy.float32)
        >>> e2 = numpy.ones((2, 4), numpy.float32)
        >>> W = numpy.ones((3, 4, 5), numpy.float32)
        >>> bilinear(e1, e2, W).array[0].tolist()
        [12.0, 12.0, 12.0, 12.0, 12.0]
    """
    flags = [V1 is None, V2 is None, b is None]
    if any(flags):
        if not all(flags):
            raise ValueError("All coefficients and bias for bilinear() must be None, if at "
                             "least one of them is None.")
        return BilinearFunction().apply((e1, e2, W))[0]
    return BilinearFunction().apply((e1, e2, W, V1, V2, b))[0]
