import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check, testing

N_W = {"lstm": 8, "gru": 6, "rnn": 2}


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def _cell(kind, act, x, h, c, w, b):
    if kind == "lstm":
        def g(k):
            return x @ w[k].T + h @ w[k + 4].T + b[k] + b[k + 4]
        i, f, a, o = _sig(g(0)), _sig(g(1)), numpy.tanh(g(2)), _sig(g(3))
        c = a * i + f * c
        return o * numpy.tanh(c), c
    if kind == "gru":
        r = _sig(x @ w[0].T + b[0] + h @ w[3].T + b[3])
        z = _sig(x @ w[1].T + b[1] + h @ w[4].T + b[4])
        n = numpy.tanh(x @ w[2].T + b[2] + r * (h @ w[5].T + b[5]))
        return (1 - z) * n + z * h, None
    pre = x @ w[0].T + b[0] + h @ w[1].T + b[1]
    return (numpy.tanh(pre) if act == "tanh" else numpy.maximum(pre, 0)), None


def reference(kind, act, n_layers, bi, hx, cx, ws, bs, xs):
    """Sequence by sequence, step by step: the plain definition."""
    n_dir = 2 if bi else 1
    hy = numpy.zeros_like(hx)
    cy = numpy.zeros_like(hx)
    seqs = [x.astype(numpy.float64) for x in xs]
    for layer in range(n_layers):
        outs = []
        for d in range(n_dir):
            idx = layer * n_dir + d
            dir_out = []
            for s, x in enumerate(seqs):
                h = hx[idx, s]
                c = cx[idx, s] if cx is not None else None
                ys = [None] * len(x)
                order = range(len(x) - 1, -1, -1) if d == 1 else range(len(x))
                for t in order:
                    h, c = _cell(kind, act, x[t], h, c, ws[idx], bs[idx])
                    ys[t] = h
                hy[idx, s] = h
                if c is not None:
                    cy[idx, s] = c
                dir_out.append(numpy.stack(ys))
            outs.append(dir_out)
        seqs = [numpy.concatenate([o[s] for o in outs], axis=1) for s in range(len(seqs))]
    return hy, cy, seqs


def _make(kind, n_layers, bi, in_size, H, lengths, dtype, rng):
    n_dir = 2 if bi else 1
    nw = N_W[kind]
    ws, bs = [], []
    for layer in range(n_layers):
        for _ in range(n_dir):
            isz = in_size if layer == 0 else H * n_dir
            ws.append([rng.uniform(-1, 1, (H, isz if j < nw // 2 else H)).astype(dtype)
                       for j in range(nw)])
            bs.append([rng.uniform(-1, 1, (H,)).astype(dtype) for _ in range(nw)])
    xs = [rng.uniform(-1, 1, (n, in_size)).astype(dtype) for n in lengths]
    hx = rng.uniform(-1, 1, (n_layers * n_dir, len(lengths), H)).astype(dtype)
    cx = rng.uniform(-1, 1, hx.shape).astype(dtype) if kind == "lstm" else None
    return hx, cx, ws, bs, xs


def _call(kind, act, n_layers, bi, hx, cx, ws, bs, xs):
    # the functions take one array per time step (Chainer's layout); the tests think in
    # sequences, so transpose on the way in and out
    xs = F.transpose_sequence(list(xs))
    if kind == "lstm":
        f = F.n_step_bilstm if bi else F.n_step_lstm
        hy, cy, ys = f(n_layers, 0.0, hx, cx, ws, bs, xs)
        return hy, cy, F.transpose_sequence(list(ys))
    if kind == "gru":
        f = F.n_step_bigru if bi else F.n_step_gru
        hy, ys = f(n_layers, 0.0, hx, ws, bs, xs)
    else:
        f = F.n_step_birnn if bi else F.n_step_rnn
        hy, ys = f(n_layers, 0.0, hx, ws, bs, xs, activation=act)
    return hy, None, F.transpose_sequence(list(ys))


CASES = testing.product({
    "kind": ["lstm", "gru", "rnn"],
    "bi": [False, True],
})


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}-bi{c['bi']}" for c in CASES])
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_forward_matches_reference(case, dtype):
    rng = numpy.random.RandomState(0)
    kind, bi = case["kind"], case["bi"]
    hx, cx, ws, bs, xs = _make(kind, 2, bi, 3, 4, [4, 3, 3, 1], dtype, rng)
    hy, cy, ys = _call(kind, "tanh", 2, bi, hx, cx, ws, bs, xs)
    rhy, rcy, rys = reference(kind, "tanh", 2, bi, hx.astype(numpy.float64),
                              None if cx is None else cx.astype(numpy.float64), ws, bs, xs)
    tol = 1e-5 if dtype == numpy.float32 else 1e-10
    numpy.testing.assert_allclose(hy.array, rhy, rtol=tol, atol=tol)
    assert hy.dtype == dtype
    if kind == "lstm":
        numpy.testing.assert_allclose(cy.array, rcy, rtol=tol, atol=tol)
    assert len(ys) == len(xs)
    for y, r in zip(ys, rys):
        numpy.testing.assert_allclose(y.array, r, rtol=tol, atol=tol)


def test_relu_rnn_forward():
    rng = numpy.random.RandomState(1)
    hx, cx, ws, bs, xs = _make("rnn", 1, False, 3, 4, [3, 2], numpy.float64, rng)
    hy, _, ys = _call("rnn", "relu", 1, False, hx, None, ws, bs, xs)
    rhy, _, rys = reference("rnn", "relu", 1, False, hx, None, ws, bs, xs)
    numpy.testing.assert_allclose(hy.array, rhy, rtol=1e-10)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}-bi{c['bi']}" for c in CASES])
def test_backward_numerical(case):
    rng = numpy.random.RandomState(2)
    kind, bi = case["kind"], case["bi"]
    hx, cx, ws, bs, xs = _make(kind, 2, bi, 2, 3, [3, 2, 1], numpy.float64, rng)
    params = [kusari.Variable(w) for layer in ws for w in layer[:2]] + \
        [kusari.Variable(b) for layer in bs for b in layer[-1:]]
    wv = [[params[2 * i], params[2 * i + 1]] + list(ws[i][2:]) for i in range(len(ws))]
    bv = [list(bs[i][:-1]) + [params[2 * len(ws) + i]] for i in range(len(bs))]
    n = len(xs)

    def f(*inputs):
        h = inputs[0]
        c = inputs[1] if kind == "lstm" else None
        seqs = inputs[-n:]
        hy, cy, ys = _call(kind, "tanh", 2, bi, h, c, wv, bv, seqs)
        return (hy, cy) + tuple(ys) if kind == "lstm" else (hy,) + tuple(ys)

    inputs = (hx, cx) + tuple(xs) if kind == "lstm" else (hx,) + tuple(xs)
    outs = f(*[kusari.Variable(a) for a in inputs])
    gys = tuple(rng.uniform(-1, 1, o.shape) for o in outs)
    gradient_check.check_backward(f, inputs, gys, params=params, dtype=numpy.float64,
                                  atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_double_backward_numerical(kind):
    rng = numpy.random.RandomState(3)
    hx, cx, ws, bs, xs = _make(kind, 1, False, 2, 2, [2, 1], numpy.float64, rng)

    def f(h, *seqs):
        hy, cy, ys = _call(kind, "tanh", 1, False, h, cx, ws, bs, seqs)
        return (hy,) + tuple(ys)

    inputs = (hx,) + tuple(xs)
    outs = f(*[kusari.Variable(a) for a in inputs])
    gys = tuple(rng.uniform(-1, 1, o.shape) for o in outs)
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in inputs)
    gradient_check.check_double_backward(f, inputs, gys, ggs, dtype=numpy.float64,
                                         atol=1e-4, rtol=1e-3)


def test_lstm_fast_and_graph_backward_agree():
    rng = numpy.random.RandomState(4)
    hx, cx, ws, bs, xs = _make("lstm", 1, True, 3, 4, [3, 3, 2], numpy.float64, rng)
    grads = []
    for double in (False, True):
        xv = [kusari.Variable(x) for x in xs]
        hv = kusari.Variable(hx)
        hy, cy, ys = F.n_step_bilstm(1, 0.0, hv, cx, ws, bs, xv)
        loss = F.sum(hy * hy) + sum(F.sum(y * y) for y in ys)
        loss.backward(enable_double_backprop=double)
        grads.append([hv.grad] + [x.grad for x in xv])
    for a, b in zip(*grads):
        numpy.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_errors():
    rng = numpy.random.RandomState(5)
    hx, cx, ws, bs, xs = _make("lstm", 1, False, 3, 4, [2, 3], numpy.float32, rng)
    # xs holds time steps: batch sizes (2, then 3) must not increase
    with pytest.raises(ValueError, match="must not increase"):
        F.n_step_lstm(1, 0.0, hx, cx, ws, bs, xs)
    with pytest.raises(ValueError, match="ws must have"):
        F.n_step_lstm(2, 0.0, hx, cx, ws, bs, xs[::-1])
    with pytest.raises(ValueError, match="train"):
        F.n_step_lstm(1, 0.0, hx, cx, ws, bs, xs[::-1], train=True)
    with pytest.raises(ValueError, match="activation"):
        F.n_step_rnn(1, 0.0, hx, ws, bs, xs[::-1], activation="sigmoid")


def test_dropout_only_in_training():
    rng = numpy.random.RandomState(6)
    hx, cx, ws, bs, xs = _make("gru", 2, False, 3, 4, [3, 2], numpy.float32, rng)
    xs = F.transpose_sequence(xs)
    with kusari.using_config("train", False):
        a = F.n_step_gru(2, 0.5, hx, ws, bs, xs)[0].array
    b = F.n_step_gru(2, 0.0, hx, ws, bs, xs)[0].array
    numpy.testing.assert_allclose(a, b, rtol=1e-6)
    c = F.n_step_gru(2, 0.5, hx, ws, bs, xs)[0].array
    assert not numpy.allclose(c[1], b[1])
