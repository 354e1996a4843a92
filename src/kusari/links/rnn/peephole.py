"""A stateful LSTM with peephole connections: :class:`StatefulPeepholeLSTM`."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.link import Chain
from kusari.links.connection.linear import Linear
from kusari.links.rnn._state import RecurrentState


def _interleaved_gates(lstm_in: Any, n_units: int) -> tuple:
    """``(N, 4 n)`` pre-activations, gate ``g`` of unit ``k`` at column ``4 k + g``, as
    the four ``(N, n)`` blocks ``a, i, f, o``."""
    return F.separate(F.reshape(lstm_in, (lstm_in.shape[0], n_units, 4)), axis=2)


class StatefulPeepholeLSTM(RecurrentState, Chain):
    """A fully-connected LSTM layer whose gates also see the cell state (peepholes).

    With ``z = upward x + lateral h`` split into the gates ``a, i, f, o`` (column
    ``4 k + g`` for gate ``g`` of unit ``k``, as :class:`~kusari.links.LSTM`)::

        c' = tanh(a) * sigmoid(i + peep_i c) + sigmoid(f + peep_f c) * c
        h' = sigmoid(o + peep_o c') * tanh(c')

    ``c`` and ``h`` are kept between calls (zeros / no lateral input at first).

    Args:
        in_size: Input size.
        out_size: State size.

    Attributes:
        upward: ``Linear(in_size, 4 * out_size)``.
        lateral: ``Linear(out_size, 4 * out_size, nobias=True)``.
        peep_i, peep_f, peep_o: ``Linear(out_size, out_size, nobias=True)``.
        c: Cell state (a Variable) or None.
        h: Output state (a Variable) or None.

    Example:
        >>> import numpy
        >>> lstm = StatefulPeepholeLSTM(3, 4)
        >>> y = lstm(numpy.ones((2, 3), numpy.float32))
        >>> y.shape, lstm.c.shape, lstm.h is y
        ((2, 4), (2, 4), True)
        >>> sorted(name for name, _ in lstm.namedparams())
        ['/lateral/W', '/peep_f/W', '/peep_i/W', '/peep_o/W', '/upward/W', '/upward/b']
    """

    _state_names = ("c", "h")

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        self.state_size = out_size
        self.reset_state()
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size)
            self.lateral = Linear(out_size, 4 * out_size, nobias=True)
            self.peep_i = Linear(out_size, out_size, nobias=True)
            self.peep_f = Linear(out_size, out_size, nobias=True)
            self.peep_o = Linear(out_size, out_size, nobias=True)

    def set_state(self, c: variable.Variable, h: variable.Variable) -> None:
        """Set the cell state and the output state (moved to this link's device).

        Not in Chainer's ``StatefulPeepholeLSTM``; provided as in :class:`LSTM`.

        Args:
            c: The new cell state.
            h: The new output state.

        Raises:
            AssertionError: ``c`` or ``h`` is not a Variable.
        """
        self._set_state(c=c, h=h)

    def forward(self, x: Any) -> variable.Variable:
        """One step on ``x`` ``(N, in_size)``.

        Returns:
            The new output ``h'`` (also kept as :attr:`h`; the cell as :attr:`c`).
        """
        lstm_in = self.upward(x)
        if self.h is not None:
            lstm_in += self.lateral(self.h)
        if self.c is None:
            self.c = variable.Variable(self.device.xp.zeros((x.shape[0], self.state_size),
                                                            dtype=x.dtype))
        a, i, f, o = _interleaved_gates(lstm_in, self.state_size)
        c_prev = self.c
        i = F.sigmoid(i + self.peep_i(c_prev))
        f = F.sigmoid(f + self.peep_f(c_prev))
        self.c = F.tanh(a) * i + f * c_prev
        o = F.sigmoid(o + self.peep_o(self.c))
        self.h = o * F.tanh(self.c)
        return self.h
