"""Highway layer (Srivastava et al., https://arxiv.org/abs/1505.00387)."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.link import Chain
from kusari.links.connection.linear import Linear


class Highway(Chain):
    """``y = a(plain(x)) * t + x * (1 - t)`` with the gate ``t = sigmoid(transform(x))``.

    Args:
        in_out_size: Input and output dimension.
        nobias: No biases when True.
        activate: The activation ``a`` (None: :func:`~kusari.functions.relu`).
        init_Wh, init_bh: Initializers of the ``plain`` layer.
        init_Wt, init_bt: Initializers of the ``transform`` layer (``init_bt=-1`` biases
            the gate towards carrying ``x`` through).

    Example:
        >>> import numpy
        >>> Highway(3)(numpy.ones((2, 3), numpy.float32)).shape
        (2, 3)
    """

    def __init__(self, in_out_size: int, nobias: bool = False, activate: Any = None,
                 init_Wh: Any = None, init_Wt: Any = None, init_bh: Any = None,
                 init_bt: Any = -1) -> None:
        super().__init__()
        if activate is None:
            from kusari.functions.activation.relu import relu as activate
        self.activate = activate
        with self.init_scope():
            self.plain = Linear(in_out_size, in_out_size, nobias=nobias, initialW=init_Wh,
                                initial_bias=init_bh)
            self.transform = Linear(in_out_size, in_out_size, nobias=nobias,
                                    initialW=init_Wt, initial_bias=init_bt)

    def forward(self, x: Any) -> variable.Variable:
        """Apply the layer to ``x`` of shape ``(N, in_out_size)``."""
        from kusari.functions.activation.sigmoid import sigmoid

        out_plain = self.activate(self.plain(x))
        gate = sigmoid(self.transform(x))
        return out_plain * gate + x * (1 - gate)
