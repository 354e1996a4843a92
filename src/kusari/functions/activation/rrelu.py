"""Randomized leaky rectified linear unit."""

from __future__ import annotations

from typing import Any

from kusari.backend import get_array_module
from kusari.configuration import config
from kusari.function_node import FunctionNode
from kusari.functions.activation._scale import scale_by
from kusari.utils import force_array, type_check


class RReLU(FunctionNode):
    """``x`` where ``x >= 0``, ``r x`` elsewhere with ``r ~ U(l, u)`` (``(l + u) / 2`` in test)."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, r: Any = None) -> None:
        if not 0.0 <= lower < 1.0:
            raise ValueError("lower must be in the range [0, 1)")
        if not 0.0 <= upper < 1.0:
            raise ValueError("upper must be in the range [0, 1)")
        if not lower < upper:
            raise ValueError("lower must be less than upper")
        self.lower = lower
        self.upper = upper
        self.r = r

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("x",))
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == "f")
        if self.r is not None:
            type_check.expect(x_type.dtype == self.r.dtype, x_type.shape == self.r.shape)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        xp = get_array_module(x)
        if config.train:
            if self.r is None:
                # numpy.random on the CPU so seeded runs reproduce
                self.r = xp.random.uniform(self.lower, self.upper, x.shape).astype(
                    x.dtype, copy=False)
        else:
            self.r = xp.full(x.shape, (self.lower + self.upper) / 2, dtype=x.dtype)
        return force_array(xp.where(x >= 0, x, x * self.r), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x = self.inputs[0].data
        xp = get_array_module(x)
        return scale_by(grad_outputs[0], xp.where(x >= 0, x.dtype.type(1), self.r)),


def rrelu(
    x: Any, l: float = 1.0 / 8, u: float = 1.0 / 3, *, r: Any = None,  # noqa: E741
    return_r: bool = False, **kwargs: Any,
) -> Any:
    """Randomized leaky ReLU: :math:`f(x) = x` if :math:`x \\ge 0`, else :math:`r x`.

    In training (``config.train``) :math:`r` is drawn from :math:`U(l, u)` per element
    (unless given); in test it is :math:`(l + u) / 2`.

    Args:
        x: Input Variable or array, float.
        l: Lower bound of the slope, in ``[0, 1)``.
        u: Upper bound of the slope, in ``[0, 1)``, above ``l``.
        r: Slopes to use, same shape and dtype as ``x``; drawn when None.
        return_r: Also return the slopes used.

    Returns:
        The output, or ``(output, r)`` with ``return_r``.

    Raises:
        ValueError: Bounds out of range.
        kusari.utils.type_check.InvalidType: Wrong dtype, or ``r`` of the wrong shape.

    Example:
        >>> import numpy, kusari
        >>> with kusari.using_config('train', False):
        ...     rrelu(numpy.array([-1.0, 1.0])).array.round(4).tolist()
        [-0.2292, 1.0]
    """
    if kwargs:
        if "train" in kwargs:
            raise ValueError("train argument is not supported anymore. Use chainer.using_config")
        names = ", ".join(map(repr, kwargs))
        raise TypeError(f"rrelu() got unexpected keyword argument(s) {names}")
    func = RReLU(l, u, r)
    out, = func.apply((x,))
    if return_r:
        return out, func.r
    return out

