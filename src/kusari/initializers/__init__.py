"""Initializers: how parameters start (``kusari.initializers``, Chainer's names).

An initializer fills an array in place: ``initializer(array)``. Random ones draw from
NumPy's global ``numpy.random`` state (also for GPU arrays, which are filled on the
host and sent), with the same calls as Chainer, so seeded scripts get the same initial
weights as under Chainer on the CPU.

Example:
    >>> import numpy
    >>> from kusari import initializers
    >>> initializers.generate_array(initializers.Constant(2.0), (2,), numpy).tolist()
    [2.0, 2.0]
"""

from kusari.initializers._base import (
    Initializer,
    _check_is_initializer_like,
    _get_initializer,
    generate_array,
    get_fans,
)
from kusari.initializers.constant import Constant, Identity, NaN, One, Zero
from kusari.initializers.normal import GlorotNormal, HeNormal, LeCunNormal, Normal
from kusari.initializers.orthogonal import Orthogonal
from kusari.initializers.sampling import DownsamplingConvFilter, UpsamplingDeconvFilter
from kusari.initializers.uniform import GlorotUniform, HeUniform, LeCunUniform, Uniform

__all__ = [
    "Constant", "DownsamplingConvFilter", "GlorotNormal", "GlorotUniform", "HeNormal",
    "HeUniform", "Identity", "Initializer", "LeCunNormal", "LeCunUniform", "NaN", "Normal",
    "One", "Orthogonal", "Uniform", "UpsamplingDeconvFilter", "Zero", "generate_array",
    "get_fans",
]
