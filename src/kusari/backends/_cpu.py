"""The host device: arrays are NumPy ndarrays."""

from __future__ import annotations

import sys
from typing import Any

import numpy

from kusari._backend import Device


class CpuDevice(Device):
    """The host, where arrays are :class:`numpy.ndarray`.

    Example:
        >>> from kusari import backend
        >>> backend.CpuDevice().name
        '@numpy'
    """

    xp = numpy
    name = "@numpy"
    supported_array_types = (numpy.ndarray,)

    def send_array(self, array: Any) -> Any:
        if isinstance(array, numpy.ndarray):
            return array
        cupy = sys.modules.get("cupy")
        if cupy is not None and isinstance(array, cupy.ndarray):
            return array.get()
        if numpy.isscalar(array) or isinstance(array, numpy.generic):
            return numpy.asarray(array)
        return array


def _to_cpu(array: Any) -> Any:
    return CpuDevice().send(array)
