"""L1 regularization as a gradient hook."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks._base import _ParamHook


class Lasso(_ParamHook):
    """Add ``rate * sign(param)`` to each gradient (the gradient of ``rate * ||param||_1``).

    Args:
        rate: Coefficient of the penalty.

    Example:
        >>> import numpy
        >>> from kusari import Parameter
        >>> p = Parameter(numpy.array([-2.0, 3.0])); p.grad = numpy.zeros(2)
        >>> Lasso(0.5)(None, p); p.grad.tolist()
        [-0.5, 0.5]
    """

    name = "Lasso"

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def _apply(self, rule: Any, param: Any) -> None:
        p, g = param._data, param.grad
        if p is None or g is None:
            return
        if isinstance(g, numpy.ndarray):
            g += self.rate * numpy.sign(p)
        else:
            cuda.elementwise("T p, T decay", "T g",
                             "g += decay * ((p > 0) - (p < 0))", "lasso")(
                p, g.dtype.type(self.rate), g)
