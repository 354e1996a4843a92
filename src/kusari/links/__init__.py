"""Links: layers with parameters, with Chainer's names (``import kusari.links as L``).

Example:
    >>> import kusari.links as L
    >>> L.Linear(3, 2).W.shape
    (2, 3)
"""

from kusari.links.activation import *
from kusari.links.connection import *
from kusari.links.loss import *
from kusari.links.model import *
from kusari.links.normalization import *
from kusari.links.rnn import *
from kusari.sequential import Sequential
