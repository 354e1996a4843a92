"""Minimal gated units: :class:`StatelessMGU` and :class:`StatefulMGU`."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari import variable
from kusari.link import Chain
from kusari.links.connection.linear import Linear
from kusari.links.rnn._state import RecurrentState


class MGUBase(Chain):
    """Children ``W_f`` (forget gate) and ``W_h`` (candidate) of a minimal gated unit.

    Both are ``Linear(n_inputs + n_units, n_units)`` applied to the state and the input
    concatenated in that order (state first), as in Chainer.

    Args:
        n_inputs: Input size.
        n_units: State size.
    """

    def __init__(self, n_inputs: int, n_units: int) -> None:
        super().__init__()
        with self.init_scope():
            self.W_f = Linear(n_inputs + n_units, n_units)
            self.W_h = Linear(n_inputs + n_units, n_units)

    def _call_mgu(self, h: Any, x: Any) -> variable.Variable:
        """``f = sigmoid(W_f [h; x])``, ``h_bar = tanh(W_h [f h; x])``,
        ``h' = f h_bar + (1 - f) h``."""
        f = F.sigmoid(self.W_f(F.concat((h, x), axis=1)))
        h_bar = F.tanh(self.W_h(F.concat((f * h, x), axis=1)))
        return F.linear_interpolate(f, h_bar, h)


class StatelessMGU(MGUBase):
    """One step of a minimal gated unit (Zhou et al., 2016): ``h' = mgu(h, x)``.

    ``f = sigmoid(W_f [h; x])``, ``h_bar = tanh(W_h [f * h; x])`` and
    ``h' = f * h_bar + (1 - f) * h``.

    Args:
        n_inputs: Input size.
        n_units: State size.

    Example:
        >>> import numpy
        >>> mgu = StatelessMGU(3, 4)
        >>> h = numpy.zeros((2, 4), numpy.float32)
        >>> mgu(h, numpy.ones((2, 3), numpy.float32)).shape
        (2, 4)
        >>> mgu.W_f.W.shape
        (4, 7)
    """

    def forward(self, h: Any, x: Any) -> variable.Variable:
        """The next state.

        Args:
            h: Previous state ``(N, n_units)``.
            x: Input ``(N, n_inputs)``.

        Returns:
            The new state ``(N, n_units)``.
        """
        return self._call_mgu(h, x)


class StatefulMGU(RecurrentState, MGUBase):
    """A minimal gated unit keeping its state ``h`` between calls (zeros at first).

    Args:
        in_size: Input size.
        out_size: State size.

    Attributes:
        h: The state (a Variable) or None.

    Example:
        >>> import numpy
        >>> mgu = StatefulMGU(3, 4)
        >>> y = mgu(numpy.ones((2, 3), numpy.float32))
        >>> y.shape, mgu.h is y
        ((2, 4), True)
        >>> mgu.reset_state(); mgu.h is None
        True
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__(in_size, out_size)
        self._state_size = out_size
        self.reset_state()

    def set_state(self, h: variable.Variable) -> None:
        """Set the state (moved to this link's device).

        Args:
            h: The new state.

        Raises:
            AssertionError: ``h`` is not a Variable.
        """
        self._set_state(h=h)

    def forward(self, x: Any) -> variable.Variable:
        """One step on ``x`` ``(N, in_size)``.

        Returns:
            The new state, also kept as :attr:`h`.
        """
        h = self.h
        if h is None:
            h = variable.Variable(self.device.xp.zeros((x.shape[0], self._state_size),
                                                       dtype=x.dtype))
        self.h = self._call_mgu(h, x)
        return self.h
