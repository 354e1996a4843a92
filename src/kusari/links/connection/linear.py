"""The fully connected layer."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import initializers, variable
from kusari.functions.connection.linear import LinearFunction
from kusari.functions.connection.linear import linear as _linear
from kusari.link import Link


class Linear(Link):
    """Fully connected layer: ``y = x W^T + b``.

    Args:
        in_size: Input dimension; None (or passing only ``out_size`` positionally)
            infers it from the first input.
        out_size: Output dimension.
        nobias: No bias when True.
        initialW: Weight initializer, scalar or array of shape ``(out_size, in_size)``;
            None means :class:`~kusari.initializers.LeCunNormal`.
        initial_bias: Bias initializer, scalar or array; None means zeros.

    Attributes:
        W: Weight parameter of shape ``(out_size, in_size)``.
        b: Bias parameter of shape ``(out_size,)``, or None.

    Example:
        >>> import numpy
        >>> layer = Linear(3, 2)
        >>> layer(numpy.ones((4, 3), numpy.float32)).shape
        (4, 2)
        >>> Linear(2)(numpy.ones((1, 5), numpy.float32)).shape  # lazy in_size
        (1, 2)
    """

    def __init__(
        self,
        in_size: int | None,
        out_size: int | None = None,
        nobias: bool = False,
        initialW: Any = None,
        initial_bias: Any = None,
    ) -> None:
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        if out_size is None or (isinstance(out_size, (int, numpy.integer)) and out_size <= 0):
            raise ValueError(f"Linear: out_size must be a positive int, got {out_size!r}")
        if in_size is not None and in_size <= 0:
            raise ValueError(f"Linear: in_size must be a positive int or None, got {in_size!r}")
        self.in_size = in_size
        self.out_size = out_size
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            out_size)

    def _initialize_params(self, in_size: int) -> None:
        self.in_size = in_size
        self.W.initialize((self.out_size, in_size))

    def printable_specs(self) -> Any:
        yield "in_size", self.in_size
        yield "out_size", self.out_size
        yield "nobias", self.b is None

    def forward(self, x: Any, n_batch_axes: int = 1) -> variable.Variable:
        """Apply the layer.

        Args:
            x: Input of shape ``(batch..., in_size)`` (trailing axes are flattened).
            n_batch_axes: Number of leading batch axes.

        Returns:
            Output of shape ``(batch..., out_size)``.
        """
        W = self.W
        if W._data is None:
            in_size = 1
            for s in x.shape[n_batch_axes:]:
                in_size *= s
            self._initialize_params(in_size)
        if n_batch_axes == 1 and x.ndim == 2:  # the common case: straight to the node
            b = self.b
            return LinearFunction().apply((x, W) if b is None else (x, W, b))[0]
        return _linear(x, W, self.b, n_batch_axes=n_batch_axes)
