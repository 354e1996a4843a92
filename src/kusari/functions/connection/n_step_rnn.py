"""Multi-layer, optionally bidirectional RNN, GRU and LSTM over variable-length sequences.

Sequences are packed time-major (the rows of step ``t`` are the sequences longer than
``t``; the list must be sorted by length, descending). Each layer and direction is one
fused node: the input projection of all steps is one matrix product, then the recurrence
runs over the steps. The LSTM has a hand-written backward; every kind's gradient is
also available as a differentiable graph (recomputed from the inputs) for double
backprop.
"""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.configuration import config, no_backprop_mode
from kusari.function_node import FunctionNode
from kusari.function_node import grad as _grad
from kusari.functions import _fast_check
from kusari.functions.connection import _rnn_util as ru

_new = variable.Variable._new

_N_GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def _steps(batches: list, reverse: bool) -> list:
    """``(start, batch)`` of each step in processing order."""
    offs = []
    o = 0
    for b in batches:
        offs.append((o, b))
        o += b
    return offs[::-1] if reverse else offs


def cols(a: int, b: int) -> tuple:
    return (slice(None), slice(a, b))


def _layer_graph(kind: str, act: str, batches: list, reverse: bool, x: Any, h0: Any,
                 c0: Any, Wx: Any, Wh: Any, bx: Any, bh: Any) -> tuple:
    """One layer-direction as a composition of differentiable functions."""
    from kusari.functions.activation.relu import relu
    from kusari.functions.array.broadcast import broadcast_to
    from kusari.functions.math.matmul import matmul

    S = ru.slice_
    H = h0.shape[1]
    gx_all = matmul(x, Wx, transb=True)
    gx_all = gx_all + broadcast_to(bx, gx_all.shape)
    h, c = h0, c0
    ys: list = [None] * len(batches)
    order = _steps(batches, reverse)
    for step, (start, bt) in enumerate(order):
        t = len(batches) - 1 - step if reverse else step
        gx = S(gx_all, slice(start, start + bt))
        n = h.shape[0]
        hb = S(h, slice(0, bt)) if bt < n else h
        gh = matmul(hb, Wh, transb=True)
        gh = gh + broadcast_to(bh, gh.shape)
        if kind == "lstm":
            cb = S(c, slice(0, bt)) if bt < n else c
            g = gx + gh
            i = ru.sigmoid(S(g, (slice(None), slice(0, H))))
            f = ru.sigmoid(S(g, (slice(None), slice(H, 2 * H))))
            a = ru.tanh(S(g, (slice(None), slice(2 * H, 3 * H))))
            o = ru.sigmoid(S(g, (slice(None), slice(3 * H, 4 * H))))
            cn = a * i + f * cb
            hn = o * ru.tanh(cn)
            c = ru.concat([cn, S(c, slice(bt, None))], 0) if bt < n else cn
        elif kind == "gru":
            r = ru.sigmoid(S(gx, cols(0, H)) + S(gh, cols(0, H)))
            z = ru.sigmoid(S(gx, cols(H, 2 * H)) + S(gh, cols(H, 2 * H)))
            nn = ru.tanh(S(gx, cols(2 * H, 3 * H)) + r * S(gh, cols(2 * H, 3 * H)))
            hn = (1.0 - z) * nn + z * hb
        else:
            pre = gx + gh
            hn = ru.tanh(pre) if act == "tanh" else relu(pre)
        ys[t] = hn
        h = ru.concat([hn, S(h, slice(bt, None))], 0) if bt < n else hn
    y = ru.concat(ys, 0) if len(ys) > 1 else ys[0]
    return y, h, c


def _lstm_forward(batches: list, reverse: bool, x: Any, h0: Any, c0: Any, Wx: Any, Wh: Any,
                  bx: Any, bh: Any) -> tuple:
    xp = get_array_module(x)
    H = h0.shape[1]
    gx_all = x.dot(Wx.T)
    gx_all += bx + bh
    y = xp.empty((x.shape[0], H), x.dtype)
    h = h0.copy()
    c = c0.copy()
    saved = []
    half = x.dtype.type(0.5)
    for start, bt in _steps(batches, reverse):
        g = gx_all[start:start + bt]
        g += h[:bt].dot(Wh.T)
        # gates: i, f, o through sigmoid (tanh form), a through tanh
        act = xp.tanh(g * half) * half + half
        a = xp.tanh(g[:, 2 * H:3 * H])
        i, f, o = act[:, :H], act[:, H:2 * H], act[:, 3 * H:]
        c_prev = c[:bt].copy()
        cn = a * i + f * c_prev
        tc = xp.tanh(cn)
        hn = o * tc
        saved.append((act, a, c_prev, tc, h[:bt].copy()))
        y[start:start + bt] = hn
        h[:bt] = hn
        c[:bt] = cn
    return y, h, c, saved


def _lstm_backward(batches: list, reverse: bool, x: Any, Wx: Any, Wh: Any, saved: list,
                   gy: Any, ghy: Any, gcy: Any) -> tuple:
    xp = get_array_module(x)
    H = Wh.shape[1]
    dh = ghy.copy()
    dc = gcy.copy()
    dG = xp.empty((x.shape[0], 4 * H), x.dtype)
    dWh = xp.zeros_like(Wh)
    steps = _steps(batches, reverse)
    for (start, bt), (act, a, c_prev, tc, h_prev) in zip(steps[::-1], saved[::-1]):
        i, f, o = act[:, :H], act[:, H:2 * H], act[:, 3 * H:]
        dht = dh[:bt] + gy[start:start + bt]
        dct = dc[:bt] + dht * o * (1 - tc * tc)
        d = dG[start:start + bt]
        d[:, :H] = dct * a * i * (1 - i)
        d[:, H:2 * H] = dct * c_prev * f * (1 - f)
        d[:, 2 * H:3 * H] = dct * i * (1 - a * a)
        d[:, 3 * H:] = dht * tc * o * (1 - o)
        dh[:bt] = d.dot(Wh)
        dc[:bt] = dct * f
        dWh += d.T.dot(h_prev)
    dx = dG.dot(Wx)
    dWx = dG.T.dot(x)
    db = dG.sum(axis=0)
    return dx, dh, dc, dWx, dWh, db, db.copy()


class NStepRNNLayer(FunctionNode):
    """One layer and direction of an N-step RNN/GRU/LSTM over packed sequences.

    Inputs: ``x`` (packed, ``(sum L_i, I)``), ``h0`` (``(B, H)``), ``c0`` (LSTM only),
    ``Wx`` (``(G H, I)``), ``Wh`` (``(G H, H)``), ``bx`` and ``bh`` (``(G H,)``).
    Outputs: packed ``y``, the last ``h`` (and ``c`` for the LSTM).
    """

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, kind: str, batches: list, reverse: bool, activation: str = "tanh"):
        self.kind = kind
        self.batches = batches
        self.reverse = reverse
        self.activation = activation

    @property
    def label(self) -> str:
        return f"NStep{self.kind.upper()}Layer"

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs(tuple(range(len(inputs))))
        if self.kind == "lstm":
            x, h0, c0, Wx, Wh, bx, bh = inputs
            y, h, c, self.saved = _lstm_forward(self.batches, self.reverse, x, h0, c0, Wx, Wh,
                                                bx, bh)
            return y, h, c
        with no_backprop_mode():
            vs = [_new(a, False) for a in inputs]
            y, h, _ = _layer_graph(self.kind, self.activation, self.batches, self.reverse,
                                   vs[0], vs[1], None, *vs[2:])
        return y.array, h.array

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        xs = self.get_retained_inputs()
        n_out = 3 if self.kind == "lstm" else 2
        gys = []
        for k in range(n_out):
            g = grad_outputs[k]
            if g is None:
                ref = xs[0] if k == 0 else xs[1]
                shape = (xs[0].shape[0], xs[1].shape[1]) if k == 0 else xs[1].shape
                g = _new(ref.xp.zeros(shape, ref.dtype), False)
            gys.append(g)
        if self.kind == "lstm" and not _fast_check.backprop_enabled():
            x, _, _, Wx, Wh, _, _ = [v.array for v in xs]
            grads = _lstm_backward(self.batches, self.reverse, x, Wx, Wh, self.saved,
                                   gys[0].array, gys[1].array, gys[2].array)
            return tuple(_new(grads[i], False) for i in indexes)
        double = _fast_check.backprop_enabled()
        with config_backprop():
            ins = [_new(v.array, True) if not double else v for v in xs]
            if self.kind == "lstm":
                outs = _layer_graph("lstm", "", self.batches, self.reverse, *ins)
            else:
                y, h, _ = _layer_graph(self.kind, self.activation, self.batches, self.reverse,
                                       ins[0], ins[1], None, *ins[2:])
                outs = (y, h)
            targets = [ins[i] for i in indexes]
            gxs = _grad(list(outs), targets, grad_outputs=gys, enable_double_backprop=double)
        return tuple(gxs)


def config_backprop() -> Any:
    from kusari.configuration import force_backprop_mode

    return force_backprop_mode()


class SplitRows(FunctionNode):
    """Split along axis 0 into pieces of the given sizes; the gradient concatenates."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, sizes: list) -> None:
        self.sizes = sizes

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        self._shape = x.shape
        self._xp = get_array_module(x)
        self._dtype = x.dtype
        out = []
        o = 0
        for s in self.sizes:
            out.append(x[o:o + s])
            o += s
        return tuple(out)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gs = []
        for s, g in zip(self.sizes, grad_outputs):
            if g is None:
                g = _new(self._xp.zeros((s,) + self._shape[1:], self._dtype), False)
            gs.append(g)
        return ru.concat(gs, 0) if len(gs) > 1 else gs[0],


def _dropout(x: Any, ratio: float) -> Any:
    if not config.train or ratio == 0:
        return x
    xp = x.xp
    scale = 1.0 / (1.0 - ratio)
    mask = (xp.random.rand(*x.shape) >= ratio) * scale
    return x * mask.astype(x.dtype)


def _as_var(x: Any) -> variable.Variable:
    return x if isinstance(x, variable.Variable) else _new(x, False)


def _n_step(kind: str, n_layers: int, dropout_ratio: float, hx: Any, cx: Any, ws: Any,
            bs: Any, xs: Any, use_bi_direction: bool, activation: str = "tanh",
            fname: str = "n_step_rnn") -> tuple:
    n_dir = 2 if use_bi_direction else 1
    ng = _N_GATES[kind]
    if len(ws) != n_layers * n_dir:
        raise ValueError(f"{fname}: ws must have n_layers * n_directions = "
                         f"{n_layers * n_dir} entries, got {len(ws)}")
    if len(bs) != n_layers * n_dir:
        raise ValueError(f"{fname}: bs must have n_layers * n_directions = "
                         f"{n_layers * n_dir} entries, got {len(bs)}")
    # xs[t] holds time step t, shape (B_t, I), with B_t non-increasing (Chainer's layout;
    # F.transpose_sequence turns a batch of sequences sorted by length into it)
    steps = [_as_var(x) for x in xs]
    if not steps:
        raise ValueError(f"{fname}: xs must not be empty")
    batches = [s.shape[0] for s in steps]
    if any(batches[i] < batches[i + 1] for i in range(len(batches) - 1)):
        raise ValueError(f"{fname}: xs[t] holds time step t and the batch sizes "
                         f"xs[t].shape[0] must not increase with t, got {batches}")
    hx = _as_var(hx)
    if hx.shape[0] != n_layers * n_dir or hx.shape[1] != batches[0]:
        raise ValueError(f"{fname}: hx must have shape (n_layers * n_directions, batch, "
                         f"units) = ({n_layers * n_dir}, {batches[0]}, ...), got {hx.shape}")
    if cx is not None:
        cx = _as_var(cx)
    x = ru.concat(steps, 0) if len(steps) > 1 else steps[0]
    hy, cy = [], []
    for layer in range(n_layers):
        if layer > 0:
            x = _dropout(x, dropout_ratio)
        outs = []
        for d in range(n_dir):
            idx = layer * n_dir + d
            w = [_as_var(v) for v in ws[idx]]
            b = [_as_var(v) for v in bs[idx]]
            Wx = ru.concat(w[:ng], 0)
            Wh = ru.concat(w[ng:2 * ng], 0)
            bx = ru.concat(b[:ng], 0)
            bh = ru.concat(b[ng:2 * ng], 0)
            h0 = ru.slice_(hx, idx)
            node = NStepRNNLayer(kind, batches, d == 1, activation)
            if kind == "lstm":
                c0 = ru.slice_(cx, idx)
                y, h, c = node.apply((x, h0, c0, Wx, Wh, bx, bh))
                cy.append(c)
            else:
                y, h = node.apply((x, h0, Wx, Wh, bx, bh))
            hy.append(h)
            outs.append(y)
        x = outs[0] if n_dir == 1 else ru.concat(outs, 1)
    ys = SplitRows(batches).apply((x,)) if len(batches) > 1 else (x,)
    hy_v = ru.stack(hy)
    cy_v = ru.stack(cy) if kind == "lstm" else None
    return hy_v, cy_v, tuple(ys)


def _check_kwargs(fname: str, kwargs: dict) -> None:
    if "train" in kwargs or "use_cudnn" in kwargs:
        raise ValueError(f"{fname}: the train and use_cudnn arguments are not supported "
                         "anymore; use kusari.using_config")
    if kwargs:
        raise TypeError(f"{fname}() got unexpected keyword argument(s) "
                        + ", ".join(repr(k) for k in kwargs))


def n_step_lstm(n_layers: int, dropout_ratio: float, hx: Any, cx: Any, ws: Any, bs: Any,
                xs: Any, **kwargs: Any) -> tuple:
    """Stacked uni-directional LSTM over a list of variable-length sequences.

    With Chainer's weight layout ``ws[l] = [W_0, ..., W_7]``, ``bs[l] = [b_0, ..., b_7]``:
    :math:`i = \\sigma(W_0 x + W_4 h + b_0 + b_4)`, :math:`f = \\sigma(W_1 x + W_5 h + b_1
    + b_5)`, :math:`a = \\tanh(W_2 x + W_6 h + b_2 + b_6)`, :math:`o = \\sigma(W_3 x + W_7 h
    + b_3 + b_7)`, :math:`c' = i a + f c`, :math:`h' = o \\tanh(c')`. Dropout is applied to
    the input of every layer but the first (in training mode).

    Args:
        n_layers: Number of layers.
        dropout_ratio: Dropout ratio between layers.
        hx: Initial hidden states ``(n_layers, B, H)``.
        cx: Initial cell states ``(n_layers, B, H)``.
        ws: ``n_layers`` lists of 8 matrices (``W_0..W_3``: ``(H, I)``; ``W_4..W_7``:
            ``(H, H)``; ``I`` is the input size for layer 0 and ``H`` after).
        bs: ``n_layers`` lists of 8 ``(H,)`` vectors.
        xs: ``B`` sequences ``(L_i, I)``, sorted by length in descending order.

    Returns:
        ``(hy, cy, ys)``: the last hidden and cell states ``(n_layers, B, H)`` and a tuple
        of ``B`` outputs ``(L_i, H)``.

    Raises:
        ValueError: Inconsistent numbers of layers, unsorted ``xs``, or a wrong ``hx``.

    Example:
        >>> import numpy
        >>> H, I = 2, 3
        >>> ws = [[numpy.ones((H, I), 'f')] * 4 + [numpy.ones((H, H), 'f')] * 4]
        >>> bs = [[numpy.zeros(H, 'f')] * 8]
        >>> xs = [numpy.ones((2, I), 'f'), numpy.ones((1, I), 'f')]  # two time steps
        >>> h = numpy.zeros((1, 2, H), 'f')
        >>> hy, cy, ys = n_step_lstm(1, 0.0, h, h, ws, bs, xs)
        >>> hy.shape, [y.shape for y in ys]
        ((1, 2, 2), [(2, 2), (1, 2)])
    """
    _check_kwargs("n_step_lstm", kwargs)
    return _n_step("lstm", n_layers, dropout_ratio, hx, cx, ws, bs, xs, False,
                   fname="n_step_lstm")


def n_step_bilstm(n_layers: int, dropout_ratio: float, hx: Any, cx: Any, ws: Any, bs: Any,
                  xs: Any, **kwargs: Any) -> tuple:
    """Stacked bi-directional LSTM (see :func:`n_step_lstm`).

    ``hx``, ``cx`` have ``2 n_layers`` entries (forward and backward interleaved per
    layer); ``ws``/``bs`` likewise; layers after the first take ``2 H`` inputs and the
    outputs ``ys`` have ``2 H`` features (forward then backward).

    Example:
        >>> import numpy
        >>> ws = [[numpy.ones((2, 3), 'f')] * 4 + [numpy.ones((2, 2), 'f')] * 4] * 2
        >>> bs = [[numpy.zeros(2, 'f')] * 8] * 2
        >>> h = numpy.zeros((2, 1, 2), 'f')
        >>> hy, cy, ys = n_step_bilstm(1, 0.0, h, h, ws, bs, [numpy.ones((1, 3), 'f')] * 4)
        >>> ys[0].shape
        (1, 4)
    """
    _check_kwargs("n_step_bilstm", kwargs)
    return _n_step("lstm", n_layers, dropout_ratio, hx, cx, ws, bs, xs, True,
                   fname="n_step_bilstm")


def n_step_gru(n_layers: int, dropout_ratio: float, hx: Any, ws: Any, bs: Any, xs: Any,
               **kwargs: Any) -> tuple:
    """Stacked uni-directional GRU over variable-length sequences.

    With ``ws[l] = [W_0..W_5]``, ``bs[l] = [b_0..b_5]``: :math:`r = \\sigma(W_0 x + b_0 +
    W_3 h + b_3)`, :math:`z = \\sigma(W_1 x + b_1 + W_4 h + b_4)`, :math:`\\tilde h =
    \\tanh(W_2 x + b_2 + r (W_5 h + b_5))`, :math:`h' = (1 - z) \\tilde h + z h`.

    Returns:
        ``(hy, ys)``.

    Example:
        >>> import numpy
        >>> ws = [[numpy.ones((2, 3), 'f')] * 3 + [numpy.ones((2, 2), 'f')] * 3]
        >>> bs = [[numpy.zeros(2, 'f')] * 6]
        >>> hy, ys = n_step_gru(1, 0.0, numpy.zeros((1, 1, 2), 'f'), ws, bs,
        ...                     [numpy.ones((1, 3), 'f')] * 2)
        >>> hy.shape
        (1, 1, 2)
    """
    _check_kwargs("n_step_gru", kwargs)
    hy, _, ys = _n_step("gru", n_layers, dropout_ratio, hx, None, ws, bs, xs, False,
                        fname="n_step_gru")
    return hy, ys


def n_step_bigru(n_layers: int, dropout_ratio: float, hx: Any, ws: Any, bs: Any, xs: Any,
                 **kwargs: Any) -> tuple:
    """Stacked bi-directional GRU (see :func:`n_step_gru` and :func:`n_step_bilstm`).

    Example:
        >>> import numpy
        >>> ws = [[numpy.ones((2, 3), 'f')] * 3 + [numpy.ones((2, 2), 'f')] * 3] * 2
        >>> bs = [[numpy.zeros(2, 'f')] * 6] * 2
        >>> hy, ys = n_step_bigru(1, 0.0, numpy.zeros((2, 1, 2), 'f'), ws, bs,
        ...                       [numpy.ones((1, 3), 'f')] * 2)
        >>> ys[0].shape
        (1, 4)
    """
    _check_kwargs("n_step_bigru", kwargs)
    hy, _, ys = _n_step("gru", n_layers, dropout_ratio, hx, None, ws, bs, xs, True,
                        fname="n_step_bigru")
    return hy, ys


def n_step_rnn(n_layers: int, dropout_ratio: float, hx: Any, ws: Any, bs: Any, xs: Any,
               activation: str = "tanh", **kwargs: Any) -> tuple:
    """Stacked uni-directional Elman RNN: :math:`h' = f(W_0 x + b_0 + W_1 h + b_1)`.

    Args:
        activation: ``'tanh'`` or ``'relu'``.

    Returns:
        ``(hy, ys)``.

    Raises:
        ValueError: Unknown activation.

    Example:
        >>> import numpy
        >>> ws = [[numpy.ones((2, 3), 'f'), numpy.ones((2, 2), 'f')]]
        >>> bs = [[numpy.zeros(2, 'f')] * 2]
        >>> hy, ys = n_step_rnn(1, 0.0, numpy.zeros((1, 1, 2), 'f'), ws, bs,
        ...                     [numpy.ones((1, 3), 'f')] * 2)
        >>> ys[0].shape
        (1, 2)
    """
    _check_kwargs("n_step_rnn", kwargs)
    if activation not in ("tanh", "relu"):
        raise ValueError(f"Invalid activation: '{activation}'. Please select from [tanh, relu]")
    hy, _, ys = _n_step("rnn", n_layers, dropout_ratio, hx, None, ws, bs, xs, False,
                        activation, fname="n_step_rnn")
    return hy, ys


def n_step_birnn(n_layers: int, dropout_ratio: float, hx: Any, ws: Any, bs: Any, xs: Any,
                 activation: str = "tanh", **kwargs: Any) -> tuple:
    """Stacked bi-directional Elman RNN (see :func:`n_step_rnn`).

    Example:
        >>> import numpy
        >>> ws = [[numpy.ones((2, 3), 'f'), numpy.ones((2, 2), 'f')]] * 2
        >>> bs = [[numpy.zeros(2, 'f')] * 2] * 2
        >>> hy, ys = n_step_birnn(1, 0.0, numpy.zeros((2, 1, 2), 'f'), ws, bs,
        ...                       [numpy.ones((1, 3), 'f')] * 2)
        >>> ys[0].shape
        (1, 4)
    """
    _check_kwargs("n_step_birnn", kwargs)
    if activation not in ("tanh", "relu"):
        raise ValueError(f"Invalid activation: '{activation}'. Please select from [tanh, relu]")
    hy, _, ys = _n_step("rnn", n_layers, dropout_ratio, hx, None, ws, bs, xs, True,
                        activation, fname="n_step_birnn")
    return hy, ys
