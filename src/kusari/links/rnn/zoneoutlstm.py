"""A stateful LSTM regularized by zoneout: :class:`StatefulZoneoutLSTM`."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.link import Chain
from kusari.links.connection.linear import Linear
from kusari.links.rnn._state import RecurrentState
from kusari.links.rnn.peephole import _interleaved_gates


class StatefulZoneoutLSTM(RecurrentState, Chain):
    """A stateful LSTM layer with zoneout on the cell and the output (Krueger et al.).

    With ``z = upward x + lateral h`` split into the gates ``a, i, f, o`` (column
    ``4 k + g`` for gate ``g`` of unit ``k``)::

        c_tmp = tanh(a) * sigmoid(i) + sigmoid(f) * c
        c' = zoneout(c, c_tmp, c_ratio)
        h' = zoneout(h, sigmoid(o) * tanh(c_tmp), h_ratio)

    :func:`~kusari.functions.zoneout` keeps each previous unit with probability
    ``ratio`` in training and is the identity on the new value in test mode. ``c`` and
    ``h`` start from zeros.

    Args:
        in_size: Input size.
        out_size: State size.
        c_ratio: Zoneout ratio of the cell state.
        h_ratio: Zoneout ratio of the output.

    Raises:
        ValueError: The removed ``train`` argument is given.
        TypeError: Any other keyword argument.

    Attributes:
        upward: ``Linear(in_size, 4 * out_size)``.
        lateral: ``Linear(out_size, 4 * out_size, nobias=True)``.
        c: Cell state (a Variable) or None.
        h: Output state (a Variable) or None.

    Example:
        >>> import numpy
        >>> import kusari
        >>> lstm = StatefulZoneoutLSTM(3, 4, c_ratio=0.3, h_ratio=0.2)
        >>> with kusari.using_config('train', False):
        ...     y = lstm(numpy.ones((2, 3), numpy.float32))
        >>> y.shape, lstm.c.shape
        ((2, 4), (2, 4))
    """

    _state_names = ("c", "h")

    def __init__(self, in_size: int, out_size: int, c_ratio: float = 0.5,
                 h_ratio: float = 0.5, **kwargs: Any) -> None:
        if kwargs:
            if "train" in kwargs:
                raise ValueError("train argument is not supported anymore. "
                                 "Use chainer.using_config")
            raise TypeError("StatefulZoneoutLSTM() got unexpected keyword argument(s) "
                            + ", ".join(map(repr, kwargs)))
        super().__init__()
        self.state_size = out_size
        self.c_ratio = c_ratio
        self.h_ratio = h_ratio
        self.reset_state()
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size)
            self.lateral = Linear(out_size, 4 * out_size, nobias=True)

    def set_state(self, c: variable.Variable, h: variable.Variable) -> None:
        """Set the cell state and the output state (moved to this link's device).

        Args:
            c: The new cell state.
            h: The new output state.

        Raises:
            AssertionError: ``c`` or ``h`` is not a Variable.
        """
        self._set_state(c=c, h=h)

    def _zeros(self, x: Any) -> variable.Variable:
        return variable.Variable(self.device.xp.zeros((x.shape[0], self.state_size),
                                                      dtype=x.dtype))

    def forward(self, x: Any) -> variable.Variable:
        """One step on ``x`` ``(N, in_size)``.

        Returns:
            The new output (also kept as :attr:`h`; the cell as :attr:`c`).
        """
        lstm_in = self.upward(x)
        if self.h is None:
            self.h = self._zeros(x)
        else:
            lstm_in += self.lateral(self.h)
        if self.c is None:
            self.c = self._zeros(x)
        a, i, f, o = _interleaved_gates(lstm_in, self.state_size)
        c_tmp = F.tanh(a) * F.sigmoid(i) + F.sigmoid(f) * self.c
        # the cell's mask is drawn before the output's, as in Chainer
        self.c = F.zoneout(self.c, c_tmp, self.c_ratio)
        self.h = F.zoneout(self.h, F.sigmoid(o) * F.tanh(c_tmp), self.h_ratio)
        return self.h
