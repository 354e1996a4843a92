"""Tree-structured LSTM units: :class:`ChildSumTreeLSTM` and :class:`NaryTreeLSTM`."""

from __future__ import annotations

from typing import Any

from kusari import functions as F
from kusari.link import Chain
from kusari.links.connection.linear import Linear


def _split_args(cshsx: tuple, n: int) -> tuple:
    """``(c_1..c_n, h_1..h_n, x)`` -> ``(cs, hs, x)``."""
    return tuple(cshsx[:n]), tuple(cshsx[n:2 * n]), cshsx[-1]


def _zero_input(link: Any, cs: tuple, hs: tuple) -> Any:
    """A zero input ``(B, in_size)`` shaped after the first given state."""
    base = next((v for v in cs + hs if v is not None), None)
    if base is None:
        raise ValueError("All inputs (cs, hs, x) are None.")
    return link.device.xp.zeros((base.shape[0], link.in_size), dtype=base.dtype)


def _fill_missing(link: Any, vs: tuple, x: Any) -> tuple:
    """``vs`` with each None replaced by zeros ``(B, state_size)``."""
    if all(v is not None for v in vs):
        return vs
    zero = link.device.xp.zeros((x.shape[0], link.state_size), dtype=x.dtype)
    return tuple(zero if v is None else v for v in vs)


class ChildSumTreeLSTM(Chain):
    """Child-Sum TreeLSTM unit (Tai et al., 2015); keeps no state.

    Called as ``c, h = unit(c_1, ..., c_n, h_1, ..., h_n, x)`` for any number ``n`` of
    children (the order of the children does not matter). With ``u = W_x x`` split
    into ``(u_aio, u_f)`` (``3 * out_size`` and ``out_size`` columns)::

        a, i, o = u_aio + W_h_aio (h_1 + ... + h_n)       (blocks of out_size)
        f_k = u_f + W_h_f h_k
        c = tanh(a) sigmoid(i) + sum_k sigmoid(f_k) c_k,   h = sigmoid(o) tanh(c)

    A leaf (``n = 0``) gives ``c = sigmoid(i) tanh(a)``. A None child state counts as
    zeros; ``x = None`` as a zero input.

    Args:
        in_size: Input size.
        out_size: Size of the cell and output vectors.

    Attributes:
        W_x: ``Linear(in_size, 4 * out_size)``.
        W_h_aio: ``Linear(out_size, 3 * out_size, nobias=True)``.
        W_h_f: ``Linear(out_size, out_size, nobias=True)``.

    Example:
        >>> import numpy
        >>> unit = ChildSumTreeLSTM(3, 4)
        >>> x = numpy.ones((2, 3), numpy.float32)
        >>> c1, h1 = unit(x)
        >>> c, h = unit(c1, c1, h1, h1, x)
        >>> c.shape, h.shape
        ((2, 4), (2, 4))
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, 4 * out_size)
            self.W_h_aio = Linear(out_size, 3 * out_size, nobias=True)
            self.W_h_f = Linear(out_size, out_size, nobias=True)
        self.in_size = in_size
        self.state_size = out_size

    def forward(self, *cshsx: Any) -> tuple:
        """New cell state and output of the parent node.

        Args:
            *cshsx: The children's cell states, then their outputs, then the input.

        Returns:
            ``(c, h)``, each ``(B, out_size)``.

        Raises:
            AssertionError: An even number of arguments.
            ValueError: All arguments are None.
        """
        if len(cshsx) % 2 != 1:
            raise AssertionError("ChildSumTreeLSTM takes c_1..c_n, h_1..h_n and x")
        n = len(cshsx) // 2
        cs, hs, x = _split_args(cshsx, n)
        if x is None:
            x = _zero_input(self, cs, hs)
        u_aio, u_f = F.split_axis(self.W_x(x), [3 * self.state_size], axis=1)
        if n == 0:
            a, i, o = F.split_axis(u_aio, 3, axis=1)
            c = F.sigmoid(i) * F.tanh(a)
            return c, F.sigmoid(o) * F.tanh(c)
        hs = _fill_missing(self, hs, x)
        cs = _fill_missing(self, cs, x)
        h_sum = hs[0]
        for h in hs[1:]:
            h_sum = h_sum + h
        aio = self.W_h_aio(h_sum) + u_aio
        # one matmul for all children, then child k's block moved to columns k
        wf = F.reshape(self.W_h_f(F.concat(hs, axis=0)), (n, x.shape[0], self.state_size))
        f_in = F.reshape(F.transpose(wf, (1, 0, 2)), (x.shape[0], n * self.state_size))
        f_in = f_in + F.tile(u_f, (1, n))
        return F.tree_lstm(*cs, F.concat((aio, f_in), axis=1))


class NaryTreeLSTM(Chain):
    """N-ary TreeLSTM unit (Tai et al., 2015, in Bowman et al.'s variant); no state.

    Called as ``c, h = unit(c_1, ..., c_N, h_1, ..., h_N, x)`` with exactly ``n_ary``
    children, whose order matters::

        z = W_x x + W_h1 h_1 + ... + W_hN h_N      (blocks a, i, o, f_1..f_N)
        c = tanh(a) sigmoid(i) + sum_k sigmoid(f_k) c_k,   h = sigmoid(o) tanh(c)

    A None child state counts as zeros; ``x = None`` as a zero input.

    Args:
        in_size: Input size.
        out_size: Size of the cell and output vectors.
        n_ary: Number of children.

    Raises:
        AssertionError: ``n_ary < 1``.

    Attributes:
        W_x: ``Linear(in_size, (3 + n_ary) * out_size)``.
        W_h1, ..., W_hN: ``Linear(out_size, (3 + n_ary) * out_size, nobias=True)``.

    Example:
        >>> import numpy
        >>> unit = NaryTreeLSTM(3, 4, n_ary=2)
        >>> c, h = unit(None, None, None, None, numpy.ones((2, 3), numpy.float32))
        >>> c.shape, unit.W_h2.W.shape
        ((2, 4), (20, 4))
    """

    def __init__(self, in_size: int, out_size: int, n_ary: int = 2) -> None:
        if n_ary < 1:
            raise AssertionError(f"NaryTreeLSTM: n_ary must be at least 1, got {n_ary}")
        super().__init__()
        width = (3 + n_ary) * out_size
        with self.init_scope():
            self.W_x = Linear(in_size, width)
            for k in range(1, n_ary + 1):
                setattr(self, f"W_h{k}", Linear(out_size, width, nobias=True))
        self.in_size = in_size
        self.state_size = out_size
        self.n_ary = n_ary

    def forward(self, *cshsx: Any) -> tuple:
        """New cell state and output of the parent node.

        Args:
            *cshsx: ``n_ary`` cell states, ``n_ary`` outputs, then the input.

        Returns:
            ``(c, h)``, each ``(B, out_size)``.

        Raises:
            AssertionError: Not ``2 * n_ary + 1`` arguments.
            ValueError: All arguments are None.
        """
        if len(cshsx) != 2 * self.n_ary + 1:
            raise AssertionError(f"NaryTreeLSTM takes {2 * self.n_ary + 1} arguments, got "
                                 f"{len(cshsx)}")
        cs, hs, x = _split_args(cshsx, self.n_ary)
        if x is None:
            x = _zero_input(self, cs, hs)
        z = self.W_x(x)
        for k, h in enumerate(hs, start=1):
            if h is not None:
                z = z + getattr(self, f"W_h{k}")(h)
        cs = _fill_missing(self, cs, x)
        return F.tree_lstm(*cs, z)
