"""Optimizers with Chainer's names (``kusari.optimizers``).

Example:
    >>> from kusari import optimizers
    >>> optimizers.SGD(lr=0.1).lr
    0.1
"""

from kusari.optimizers.sgd import SGD

__all__ = ["SGD"]
