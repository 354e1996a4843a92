"""A link holding one parameter array."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.backends import cuda
from kusari.link import Link


class Parameter(Link):
    """A link whose only parameter ``W`` is the given array; calling it returns ``W``.

    Args:
        array: The initial value (its shape and dtype define ``W``; the array itself
            becomes the parameter's data).

    Example:
        >>> import numpy
        >>> p = Parameter(numpy.zeros(3, numpy.float32))
        >>> p().shape
        (3,)
    """

    def __init__(self, array: Any) -> None:
        super().__init__()
        self.add_param("W", array.shape, dtype=array.dtype)
        self.W.array = array
        if not isinstance(array, numpy.ndarray) and cuda.available:
            self.to_gpu(cuda.get_device_from_array(array))

    def forward(self, volatile: Any = "off") -> variable.Variable:
        """``W`` through an identity node (so the graph reaches the parameter)."""
        from kusari.functions.math.identity import identity

        return identity(self.W)
