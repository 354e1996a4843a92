"""Gradient clipping by the global L2 norm."""

from __future__ import annotations

import math
from typing import Any

import numpy

from kusari import backend


class GradientClipping:
    """Rescale all gradients so that their joint L2 norm is at most ``threshold``.

    When the norm ``n`` of all gradients (as one vector) exceeds ``threshold``, every
    gradient is multiplied by ``threshold / n``; otherwise nothing changes.

    Args:
        threshold: The largest allowed norm.

    Example:
        >>> import numpy
        >>> from kusari import optimizers, links
        >>> model = links.Linear(2, 1, initialW=0.0)
        >>> opt = optimizers.SGD(lr=1.0).setup(model)
        >>> opt.add_hook(GradientClipping(1.0))
        >>> model.W.grad = numpy.array([[3.0, 4.0]], numpy.float32)
        >>> model.b.grad = numpy.zeros(1, numpy.float32)
        >>> opt.update(); model.W.array.tolist()
        [[-0.6000000238418579, -0.800000011920929]]
    """

    name = "GradientClipping"
    timing = "pre"

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    def __call__(self, opt: Any) -> None:
        params = [p for p in opt.target.params(False) if p.grad is not None]
        if not params:
            return
        by_device: dict = {}
        for p in params:
            by_device.setdefault(backend.get_device_from_array(p.grad).name, []).append(p.grad)
        gpu_sums = []
        sqnorm = 0.0  # host sums accumulate in float64, whatever the gradients' dtype
        for grads in by_device.values():
            if isinstance(grads[0], numpy.ndarray):
                for g in grads:
                    flat = g.ravel()
                    sqnorm += float(flat.dot(flat))
            else:
                gpu_sums.append(sum(g.ravel().dot(g.ravel()) for g in grads))
        if len(gpu_sums) == 1 and sqnorm == 0.0 and len(by_device) == 1:
            # everything on one GPU: keep the rate there, no synchronization
            norm = gpu_sums[0].astype(numpy.float64) ** 0.5
            rate = (self.threshold / norm).clip(None, 1)
        else:
            norm = math.sqrt(sqnorm + sum(float(s) for s in gpu_sums))
            if norm <= self.threshold:  # also covers norm == 0
                return
            rate = self.threshold / norm
        for p in params:
            p.grad *= rate
