"""Group normalization layer."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import initializers, variable
from kusari.link import Link
from kusari.links.normalization.batch_normalization import _highprec


class GroupNormalization(Link):
    """Group normalization (Wu & He, https://arxiv.org/abs/1803.08494).

    Args:
        groups: Number of channel groups.
        size: Number of channels; None infers it from the first input.
        eps: Added to the variance for stability.
        initial_gamma: Initializer of ``gamma`` (ones).
        initial_beta: Initializer of ``beta`` (zeros).

    Raises:
        ValueError: (at the first call) an input with fewer than two dimensions.

    Example:
        >>> import numpy
        >>> GroupNormalization(2)(numpy.random.rand(2, 4, 3).astype(numpy.float32)).shape
        (2, 4, 3)
    """

    def __init__(self, groups: int, size: int | None = None, eps: float = 1e-5,
                 initial_gamma: Any = None, initial_beta: Any = None) -> None:
        super().__init__()
        dtype = _highprec(None)
        self.groups = groups
        with self.init_scope():
            g_init = initializers._get_initializer(1 if initial_gamma is None else
                                                   initial_gamma)
            g_init.dtype = dtype
            b_init = initializers._get_initializer(0 if initial_beta is None else initial_beta)
            b_init.dtype = dtype
            self.gamma = variable.Parameter(g_init)
            self.beta = variable.Parameter(b_init)
        self.eps = eps
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size: int) -> None:
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x: Any) -> variable.Variable:
        """Normalize ``x`` ``(N, C, ...)`` over each group of ``C / groups`` channels."""
        if self.gamma._data is None:
            if x.ndim < 2:
                raise ValueError("Input dimension must be at least 2, including batch size "
                                 "dimension (first dimension).")
            self._initialize_params(x.shape[1])
        return F.group_normalization(x, self.groups, self.gamma, self.beta, self.eps)
