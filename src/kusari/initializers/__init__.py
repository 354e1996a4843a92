"""Initializers: how parameters start (``kusari.initializers``, Chainer's names).

An initializer fills an array in place: ``initializer(array)``. Random ones draw from
NumPy's global ``numpy.random`` state on the CPU, as Chainer does, so seeded scripts
get the same initial weights.

Example:
    >>> import numpy
    >>> from kusari import initializers
    >>> initializers.generate_array(initializers.Constant(2.0), (2,), numpy).tolist()
    [2.0, 2.0]
"""

from kusari.initializers._base import Initializer, _get_initializer, generate_array, get_fans
from kusari.initializers.constant import Constant, Identity, NaN, One, Zero
from kusari.initializers.normal import GlorotNormal, HeNormal, LeCunNormal, Normal
from kusari.initializers.orthogonal import Orthogonal
from kusari.initializers.uniform import GlorotUniform, HeUniform, LeCunUniform, Uniform

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LeCunNormal", "LeCunUniform", "NaN", "Normal", "One", "Orthogonal",
    "Uniform", "Zero", "generate_array", "get_fans",
]
