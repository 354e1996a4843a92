"""Layer normalization layer."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.link import Link


class LayerNormalization(Link):
    """Layer normalization (Ba et al., https://arxiv.org/abs/1607.06450) of ``(N, size)``.

    Args:
        size: Feature size; None infers it from the first input.
        eps: Added to the variance for stability.
        initial_gamma: Initializer of ``gamma`` (ones).
        initial_beta: Initializer of ``beta`` (zeros).

    Example:
        >>> import numpy
        >>> LayerNormalization()(numpy.random.rand(2, 5).astype(numpy.float32)).shape
        (2, 5)
    """

    def __init__(self, size: int | None = None, eps: float = 1e-6, initial_gamma: Any = None,
                 initial_beta: Any = None) -> None:
        super().__init__()
        with self.init_scope():
            self.gamma = variable.Parameter(1 if initial_gamma is None else initial_gamma)
            self.beta = variable.Parameter(0 if initial_beta is None else initial_beta)
        self.eps = eps
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size: int) -> None:
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x: Any) -> variable.Variable:
        """Normalize each row of ``x``."""
        if self.gamma._data is None:
            size = 1
            for s in x.shape[1:]:
                size *= s
            self._initialize_params(size)
        return F.layer_normalization(x, self.gamma, self.beta, self.eps)
