"""Linear layer with simplified DropConnect."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import functions as F
from kusari import initializers, variable
from kusari.link import Link


class SimplifiedDropconnect(Link):
    """A fully connected layer whose weights are randomly dropped in training.

    Args:
        in_size: Input size, or None for lazy initialization.
        out_size: Output size.
        ratio: Drop ratio.
        nobias: No bias when True.
        initialW: Weight initializer (None: ``HeNormal(1 / sqrt(2))``).
        initial_bias: Bias initializer (zeros).
    """

    def __init__(self, in_size: int | None, out_size: int, ratio: float = 0.5,
                 nobias: bool = False, initialW: Any = None, initial_bias: Any = None) -> None:
        super().__init__()
        self.out_size = out_size
        self.ratio = ratio
        if initialW is None:
            initialW = initializers.HeNormal(1.0 / numpy.sqrt(2))
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = initializers.Constant(0)
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            out_size)

    def _initialize_params(self, in_size: int) -> None:
        self.W.initialize((self.out_size, in_size))

    def forward(self, x: Any, train: bool = True, mask: Any = None,
                use_batchwise_mask: bool = True) -> variable.Variable:
        """Apply the layer; a given ``mask`` is kept as a persistent value."""
        if self.W._data is None:
            self._initialize_params(x.size // len(x))
        if mask is not None and "mask" not in self.__dict__:
            self.add_persistent("mask", mask)
        return F.simplified_dropconnect(x, self.W, self.b, self.ratio, train, mask,
                                        use_batchwise_mask)
