"""Dropout."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import configuration, variable
from kusari.backends import cuda
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.functions.activation._scale import check_float_x, scale_by
from kusari.utils import force_array


def _reject_kwargs(fname: str, kwargs: dict) -> None:
    if "train" in kwargs:
        raise ValueError("train argument is not supported anymore. Use chainer.using_config")
    names = ", ".join(map(repr, kwargs))
    raise TypeError(f"{fname}() got unexpected keyword argument(s) {names}")


class Dropout(FunctionNode):
    """``x * mask`` with ``mask = [u >= ratio] / (1 - ratio)``, ``u ~ U(0, 1)``."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, dropout_ratio: float, mask: Any = None, return_mask: bool = False) -> None:
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError("dropout_ratio must be in the range [0, 1)")
        self.dropout_ratio = dropout_ratio
        self.mask = mask
        self.return_mask = return_mask

    def check_type_forward(self, in_types: Any) -> None:
        check_float_x(in_types)

    def forward_cpu(self, inputs: tuple) -> tuple:
        x, = inputs
        if self.mask is None:
            scale = x.dtype.type(1.0 / (1 - self.dropout_ratio))
            # numpy.random (float64 draws, as Chainer) so seeded runs reproduce
            self.mask = scale * (numpy.random.rand(*x.shape) >= self.dropout_ratio)
        return force_array(x * self.mask, x.dtype),

    def forward_gpu(self, inputs: tuple) -> tuple:
        x, = inputs
        if self.mask is not None:
            return x * self.mask,
        cp = cuda.cupy
        rand = cp.random.rand(*x.shape, dtype=numpy.float32)
        scale = x.dtype.type(1.0 / (1 - self.dropout_ratio))
        self.mask, y = cuda.elementwise(
            "T x, R r, T scale, R ratio", "T mask, T y",
            "mask = (r >= ratio) * scale; y = x * mask;",
            "kusari_dropout_fwd",
        )(x, rand, scale, numpy.float32(self.dropout_ratio))
        return y,

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return scale_by(grad_outputs[0], self.mask),


def dropout(x: Any, ratio: float = 0.5, *, mask: Any = None, return_mask: bool = False,
            **kwargs: Any) -> Any:
    """Dropout: zero each element with probability ``ratio`` and scale the rest.

    :math:`y = x \\cdot m / (1 - p)` with :math:`m \\sim \\mathrm{Bernoulli}(1 - p)`, in
    training only (``config.train``); in test mode ``x`` is returned as a Variable.
    On the CPU the mask is drawn from ``numpy.random``, so ``numpy.random.seed`` makes
    runs reproducible.

    Args:
        x: Input Variable or array, float.
        ratio: Dropout probability :math:`p`, in ``[0, 1)``.
        mask: A mask to use instead of drawing one (already scaled, like the one
            returned); ``ratio`` is then ignored.
        return_mask: Also return the mask (``None`` in test mode).

    Returns:
        The output, or ``(output, mask)`` with ``return_mask``.

    Raises:
        ValueError: ``ratio`` is out of range, or the removed ``train`` argument is given.
        kusari.utils.type_check.InvalidType: ``x`` is not floating point.

    Example:
        >>> import numpy
        >>> numpy.random.seed(0)
        >>> y = dropout(numpy.ones(10, numpy.float32), 0.5)
        >>> sorted(set(y.array.tolist()))
        [0.0, 2.0]
    """
    if kwargs:
        _reject_kwargs("dropout", kwargs)
    if configuration.config.train:
        func = Dropout(ratio, mask, return_mask)
        out, = func.apply((x,))
        mask = func.mask
    else:
        out = variable.as_variable(x)
        mask = None
    if return_mask:
        return out, mask
    return out
