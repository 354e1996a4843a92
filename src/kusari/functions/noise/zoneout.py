"""Zoneout."""

from __future__ import annotations

from typing import Any

from kusari import configuration
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.activation._scale import scale_by
from kusari.functions.noise.dropout import _reject_kwargs
from kusari.utils import force_array, type_check


class Zoneout(FunctionNode):
    """``h`` where ``u < ratio``, ``x`` elsewhere, ``u ~ U(0, 1)``."""

    def __init__(self, zoneout_ratio: float) -> None:
        self.zoneout_ratio = zoneout_ratio

    def check_type_forward(self, in_types: Any) -> None:
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ("h", "x"))
        h_type, x_type = in_types
        type_check.expect(
            h_type.dtype.kind == "f",
            x_type.dtype == h_type.dtype,
            x_type.shape == h_type.shape,
        )

    def forward(self, inputs: tuple) -> tuple:
        h, x = inputs
        xp = get_array_module(x)
        self.flag_x = xp.random.rand(*x.shape) >= self.zoneout_ratio
        self.flag_h = ~self.flag_x
        return force_array(xp.where(self.flag_x, x, h), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        return tuple(scale_by(gy, self.flag_h if i == 0 else self.flag_x) for i in indexes)


def zoneout(h: Any, x: Any, ratio: float = 0.5, **kwargs: Any) -> Any:
    """Zoneout: keep each unit's previous value ``h`` with probability ``ratio``.

    :math:`y = m \\odot h + (1 - m) \\odot x` with :math:`m \\sim
    \\mathrm{Bernoulli}(\\mathrm{ratio})` in training (``config.train``); in test mode
    ``x`` itself is returned, as in Chainer.

    Args:
        h: The previous state, float.
        x: The new state, same shape and dtype.
        ratio: Probability of keeping ``h``.

    Returns:
        The output Variable (``x`` unchanged in test mode).

    Raises:
        ValueError: The removed ``train`` argument is given.
        kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.

    Example:
        >>> import numpy
        >>> h, x = numpy.zeros(4, numpy.float32), numpy.ones(4, numpy.float32)
        >>> set(zoneout(h, x).array.tolist()) <= {0.0, 1.0}
        True
    """
    if kwargs:
        _reject_kwargs("zoneout", kwargs)
    if configuration.config.train:
        return Zoneout(ratio).apply((h, x))[0]
    return x
