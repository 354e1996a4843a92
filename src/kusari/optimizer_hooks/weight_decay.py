"""L2 regularization as a gradient hook."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks._base import _ParamHook


class WeightDecay(_ParamHook):
    """Add ``rate * param`` to each gradient (the gradient of ``rate / 2 * ||param||^2``).

    With loss scaling the rate is scaled too, so the decay stays relative to the
    unscaled gradient.

    Args:
        rate: Coefficient of the decay.

    Attributes:
        timing: ``'pre'`` (default) or ``'post'``; set it before ``add_hook``.

    Example:
        >>> import numpy
        >>> from kusari import Parameter
        >>> p = Parameter(numpy.ones(2, numpy.float32)); p.grad = numpy.zeros(2, numpy.float32)
        >>> WeightDecay(0.1)(None, p); p.grad.tolist()
        [0.10000000149011612, 0.10000000149011612]
    """

    name = "WeightDecay"

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def _apply(self, rule: Any, param: Any) -> None:
        p, g = param._data, param.grad
        if p is None or g is None:
            return
        rate = self.rate
        scale = getattr(param, "_loss_scale", None)
        if scale is not None:
            rate *= scale
        if isinstance(g, numpy.ndarray):
            g += rate * p
        else:
            cuda.elementwise("T p, T decay", "T g", "g += decay * p", "weight_decay")(
                p, g.dtype.type(rate), g)
