"""Optimizers with Chainer's names (``kusari.optimizers``).

Every update rule works in place with NumPy's ``out=`` arguments and the optimizer's
thread-local scratch buffers on the CPU (the same elementwise operations in the same
order as Chainer, so trajectories agree bit for bit), and as one fused
``cuda.elementwise`` kernel on the GPU.

Example:
    >>> from kusari import optimizers
    >>> optimizers.SGD(lr=0.1).lr
    0.1
"""

from kusari.optimizers.ada_delta import AdaDelta
from kusari.optimizers.ada_grad import AdaGrad
from kusari.optimizers.adam import AdaBound, Adam, AdamW, AMSBound, AMSGrad
from kusari.optimizers.corrected_momentum_sgd import CorrectedMomentumSGD
from kusari.optimizers.momentum_sgd import MomentumSGD
from kusari.optimizers.msvag import MSVAG
from kusari.optimizers.nesterov_ag import NesterovAG
from kusari.optimizers.rmsprop import RMSprop
from kusari.optimizers.rmsprop_graves import RMSpropGraves
from kusari.optimizers.sgd import SGD
from kusari.optimizers.smorms3 import SMORMS3

__all__ = [
    "AMSBound", "AMSGrad", "AdaBound", "AdaDelta", "AdaGrad", "Adam", "AdamW",
    "CorrectedMomentumSGD", "MSVAG", "MomentumSGD", "NesterovAG", "RMSprop", "RMSpropGraves",
    "SGD", "SMORMS3",
]
