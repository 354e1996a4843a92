"""LSTM layers: the stateful :class:`LSTM` and the :class:`StatelessLSTM`."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend, initializers, variable
from kusari import functions as F
from kusari.link import Chain
from kusari.links.connection.linear import Linear
from kusari.links.rnn._state import RecurrentState


class LSTMBase(Chain):
    """Shared parameters of the LSTM links: children ``upward`` and ``lateral``.

    ``upward`` is ``Linear(in_size, 4 * out_size)`` and ``lateral`` is
    ``Linear(out_size, 4 * out_size, nobias=True)``. The pre-activation of gate ``g`` of
    unit ``k`` is row ``4 k + g`` (gates ``a, i, f, o``), as :func:`~kusari.functions.lstm`
    expects; each of the four row blocks of the weights is initialized separately, so
    fan-based initializers see ``(out_size, in)`` blocks.

    Args:
        in_size: Input size, or None for lazy initialization.
        out_size: State size.
        lateral_init: Initializer of ``lateral.W`` (None: LeCunNormal).
        upward_init: Initializer of ``upward.W`` (None: LeCunNormal).
        bias_init: Initializer of the biases of the ``a``, ``i``, ``o`` gates (zeros).
        forget_bias_init: Initializer of the forget gate bias (ones).
    """

    def __init__(self, in_size: int | None, out_size: int | None = None,
                 lateral_init: Any = None, upward_init: Any = None, bias_init: Any = None,
                 forget_bias_init: Any = None) -> None:
        if out_size is None:
            out_size, in_size = in_size, None
        super().__init__()
        self.state_size = out_size
        self.lateral_init = lateral_init
        self.upward_init = upward_init
        self.bias_init = 0 if bias_init is None else bias_init
        self.forget_bias_init = 1 if forget_bias_init is None else forget_bias_init
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size, initialW=0)
            self.lateral = Linear(out_size, 4 * out_size, initialW=0, nobias=True)
            if in_size is not None:
                self._initialize_params()

    def _initialize_params(self) -> None:
        lateral_init = initializers._get_initializer(self.lateral_init)
        upward_init = initializers._get_initializer(self.upward_init)
        bias_init = initializers._get_initializer(self.bias_init)
        forget_bias_init = initializers._get_initializer(self.forget_bias_init)
        n = self.state_size
        # initialize on the host (NumPy's RNG), then copy into the parameters
        lateral_w = self.lateral.W.array
        upward_w = self.upward.W.array
        host_l = _to_host(lateral_w)
        host_u = _to_host(upward_w)
        for i in range(0, 4 * n, n):
            lateral_init(host_l[i:i + n, :])
            upward_init(host_u[i:i + n, :])
        host_b = _to_host(self.upward.b.array)
        gates = host_b.reshape(n, 4)
        for g, init in enumerate((bias_init, bias_init, forget_bias_init, bias_init)):
            init(gates[:, g])
        for dst, src in ((lateral_w, host_l), (upward_w, host_u), (self.upward.b.array, host_b)):
            if dst is not src:
                backend.copyto(dst, src)

    def _lazy_init(self, x: Any) -> None:
        if self.upward.W._data is None:
            in_size = 1
            for s in x.shape[1:]:
                in_size *= s
            self.upward._initialize_params(in_size)
            self._initialize_params()


def _to_host(a: Any) -> Any:
    return a if isinstance(a, numpy.ndarray) else a.get()


class StatelessLSTM(LSTMBase):
    """An LSTM layer whose state is passed in and returned: ``c, h = lstm(c, h, x)``.

    Args:
        in_size: Input size (or the only argument: the state size, with lazy input).
        out_size: State size.
        lateral_init, upward_init, bias_init, forget_bias_init: As in :class:`LSTMBase`.

    Example:
        >>> import numpy
        >>> lstm = StatelessLSTM(3, 4)
        >>> c, h = lstm(None, None, numpy.ones((2, 3), numpy.float32))
        >>> c.shape, h.shape
        ((2, 4), (2, 4))
    """

    def forward(self, c: Any, h: Any, x: Any) -> tuple:
        """One step: returns the new cell state and output ``(c, h)``.

        Args:
            c: Previous cell state, or None (zeros).
            h: Previous output, or None (no lateral input).
            x: Input ``(N, in_size)``.
        """
        self._lazy_init(x)
        lstm_in = self.upward(x)
        if h is not None:
            lstm_in += self.lateral(h)
        if c is None:
            c = variable.Variable(self.device.xp.zeros((x.shape[0], self.state_size),
                                                       dtype=x.dtype))
        return F.lstm(c, lstm_in)


class LSTM(RecurrentState, LSTMBase):
    """A stateful LSTM layer: ``h = lstm(x)`` keeps ``c`` and ``h`` between calls.

    The batch may shrink between calls (sequences sorted by decreasing length): the
    first rows of the state are updated and the rest carried over. Children
    ``upward`` and ``lateral`` hold the parameters, as in Chainer.

    Args:
        in_size: Input size (or, alone, the state size with lazy input size).
        out_size: State size.
        lateral_init, upward_init, bias_init, forget_bias_init: As in :class:`LSTMBase`.

    Attributes:
        c: Cell state (a Variable) or None.
        h: Output state (a Variable) or None.

    Example:
        >>> import numpy
        >>> lstm = LSTM(3, 4)
        >>> lstm(numpy.ones((2, 3), numpy.float32)).shape
        (2, 4)
        >>> lstm(numpy.ones((1, 3), numpy.float32)).shape  # shrinking batch
        (1, 4)
        >>> lstm.h.shape
        (2, 4)
    """

    _state_names = ("c", "h")

    def __init__(self, in_size: int | None, out_size: int | None = None,
                 lateral_init: Any = None, upward_init: Any = None, bias_init: Any = None,
                 forget_bias_init: Any = None) -> None:
        if out_size is None:
            in_size, out_size = None, in_size
        super().__init__(in_size, out_size, lateral_init, upward_init, bias_init,
                         forget_bias_init)
        self.reset_state()

    def set_state(self, c: variable.Variable, h: variable.Variable) -> None:
        """Set the cell state and the output state (moved to this link's device).

        Raises:
            AssertionError: ``c`` or ``h`` is not a Variable.
        """
        self._set_state(c=c, h=h)

    def forward(self, x: Any) -> variable.Variable:
        """One step on ``x`` ``(N, in_size)``; returns the new output ``h[:N]``.

        Raises:
            TypeError: ``x`` has more rows than the state.
        """
        self._lazy_init(x)
        batch = x.shape[0]
        lstm_in = self.upward(x)
        h_rest = None
        if self.h is not None:
            h_size = self.h.shape[0]
            if batch == 0:
                h_rest = self.h
            elif h_size < batch:
                raise TypeError("The batch size of x must be equal to or less than the size "
                                "of the previous state h.")
            elif h_size > batch:
                h_update, h_rest = F.split_axis(self.h, [batch], axis=0)
                lstm_in += self.lateral(h_update)
            else:
                lstm_in += self.lateral(self.h)
        if self.c is None:
            self.c = variable.Variable(self.device.xp.zeros((batch, self.state_size),
                                                            dtype=x.dtype))
        self.c, y = F.lstm(self.c, lstm_in)
        if h_rest is None:
            self.h = y
        elif len(y.array) == 0:
            self.h = h_rest
        else:
            self.h = F.concat([y, h_rest], axis=0)
        return y
