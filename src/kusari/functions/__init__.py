"""Differentiable functions on Variables, with Chainer's names (``import kusari.functions as F``).

Each category package re-exports its public names; this module gathers them all.

Example:
    >>> import numpy
    >>> import kusari.functions as F
    >>> F.relu(numpy.array([-1.0, 1.0], numpy.float32)).array.tolist()
    [0.0, 1.0]
"""

from kusari.functions import rnn  # noqa: E402,F401  (``F.rnn``, as in Chainer)
from kusari.functions.activation import *
from kusari.functions.array import *
from kusari.functions.connection import *
from kusari.functions.evaluation import *
from kusari.functions.loss import *
from kusari.functions.math import *
from kusari.functions.noise import *
from kusari.functions.normalization import *
from kusari.functions.pooling import *
from kusari.functions.util import *
