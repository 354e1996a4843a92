"""GRU layers: :class:`StatelessGRU`, :class:`StatefulGRU` and :class:`GRU`."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.link import Chain
from kusari.links.connection.linear import Linear
from kusari.links.rnn._state import RecurrentState


class GRUBase(Chain):
    """Children ``W_r, U_r, W_z, U_z, W, U`` (``W_*``: input, ``U_*``: state) of a GRU.

    Args:
        in_size: Input size.
        out_size: State size.
        init: Initializer of the ``W_*`` weights.
        inner_init: Initializer of the ``U_*`` weights.
        bias_init: Initializer of all biases.
    """

    def __init__(self, in_size: int, out_size: int, init: Any = None, inner_init: Any = None,
                 bias_init: Any = None) -> None:
        super().__init__()
        with self.init_scope():
            self.W_r = Linear(in_size, out_size, initialW=init, initial_bias=bias_init)
            self.U_r = Linear(out_size, out_size, initialW=inner_init, initial_bias=bias_init)
            self.W_z = Linear(in_size, out_size, initialW=init, initial_bias=bias_init)
            self.U_z = Linear(out_size, out_size, initialW=inner_init, initial_bias=bias_init)
            self.W = Linear(in_size, out_size, initialW=init, initial_bias=bias_init)
            self.U = Linear(out_size, out_size, initialW=inner_init, initial_bias=bias_init)


class StatelessGRU(GRUBase):
    """One GRU step ``h' = gru(h, x)``.

    ``r = sigmoid(W_r x + U_r h)``, ``z = sigmoid(W_z x + U_z h)``,
    ``h_bar = tanh(W x + U (r * h))``, ``h' = z * h_bar + (1 - z) * h``.

    Example:
        >>> import numpy
        >>> gru = StatelessGRU(3, 4)
        >>> gru(numpy.zeros((2, 4), numpy.float32), numpy.ones((2, 3), numpy.float32)).shape
        (2, 4)
    """

    def forward(self, h: Any, x: Any) -> variable.Variable:
        """The next state from the state ``h`` and the input ``x``."""
        r = F.sigmoid(self.W_r(x) + self.U_r(h))
        z = F.sigmoid(self.W_z(x) + self.U_z(h))
        h_bar = F.tanh(self.W(x) + self.U(r * h))
        return F.linear_interpolate(z, h_bar, h)


class StatefulGRU(RecurrentState, GRUBase):
    """A GRU keeping its state ``h`` between calls (zeros before the first).

    Args:
        in_size: Input size.
        out_size: State size.
        init, inner_init: Weight initializers.
        bias_init: Bias initializer (zeros).

    Example:
        >>> import numpy
        >>> gru = StatefulGRU(3, 4)
        >>> gru(numpy.ones((2, 3), numpy.float32)).shape
        (2, 4)
    """

    def __init__(self, in_size: int, out_size: int, init: Any = None, inner_init: Any = None,
                 bias_init: Any = 0) -> None:
        super().__init__(in_size, out_size, init, inner_init, bias_init)
        self.state_size = out_size
        self.reset_state()

    def set_state(self, h: variable.Variable) -> None:
        """Set the state (moved to this link's device).

        Raises:
            AssertionError: ``h`` is not a Variable.
        """
        self._set_state(h=h)

    def forward(self, x: Any) -> variable.Variable:
        """One step on ``x``; returns (and keeps) the new state."""
        z = self.W_z(x)
        h_bar = self.W(x)
        if self.h is not None:
            r = F.sigmoid(self.W_r(x) + self.U_r(self.h))
            z += self.U_z(self.h)
            h_bar += self.U(r * self.h)
        z = F.sigmoid(z)
        h_bar = F.tanh(h_bar)
        if self.h is not None:
            h_new = F.linear_interpolate(z, h_bar, self.h)
        else:
            h_new = z * h_bar
        self.h = h_new
        return self.h


class GRU(StatefulGRU):
    """Stateful GRU (Chainer 2+ meaning of ``GRU``); takes exactly one input.

    Raises:
        ValueError: Called with other than one argument.
    """

    def forward(self, *args: Any) -> variable.Variable:
        n = len(args)
        msg = f"Invalid argument. The length of GRU.forward must be 1. But {n} is given. "
        if n == 0 or n >= 3:
            raise ValueError(msg)
        if n == 2:
            raise ValueError(msg + "In Chainer v2, chainer.links.GRU is changed from stateless "
                             "to stateful. One possibility is you assume GRU to be "
                             "stateless. Use chainer.links.StatelessGRU instead.")
        return super().forward(args[0])
