"""MGU, peephole / zoneout LSTMs and tree LSTMs: NumPy references, gradients, Chainer."""

import numpy
import pytest

import kusari
from kusari import gradient_check, variable
from kusari import links as L
from kusari.configuration import using_config

from ..initializers_tests import _chainer_ref

F64 = numpy.float64


def _r(*shape, seed=0, dtype=F64):
    return numpy.random.RandomState(seed).randn(*shape).astype(dtype)


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def _lin(link, x):
    """A child ``Linear``'s output on NumPy arrays."""
    y = x @ link.W.array.T
    return y if link.b is None else y + link.b.array


def _make(cls, *args, **kwargs):
    """A link with float64 parameters (exact references and numerical gradients)."""
    with using_config("dtype", F64):
        return cls(*args, **kwargs)


def _names_shapes(link):
    return {name: p.shape for name, p in link.namedparams()}


def _check(fn, inputs, link, out_shapes, seed=9):
    grads = tuple(_r(*s, seed=seed + i) for i, s in enumerate(out_shapes))
    gradient_check.check_backward(fn, inputs, grads if len(grads) > 1 else grads[0],
                                  params=tuple(link.params()), eps=1e-6, atol=1e-7,
                                  rtol=1e-6, dtype=F64)


# -- MGU ----------------------------------------------------------------------------------
def _mgu_ref(link, h, x):
    f = _sig(_lin(link.W_f, numpy.concatenate([h, x], axis=1)))
    h_bar = numpy.tanh(_lin(link.W_h, numpy.concatenate([f * h, x], axis=1)))
    return f * h_bar + (1 - f) * h


def test_stateless_mgu_forward_backward_and_params():
    mgu = _make(L.StatelessMGU, 3, 4)
    assert _names_shapes(mgu) == {"/W_f/W": (4, 7), "/W_f/b": (4,), "/W_h/W": (4, 7),
                                  "/W_h/b": (4,)}
    h, x = _r(2, 4, seed=1), _r(2, 3, seed=2)
    numpy.testing.assert_allclose(mgu(h, x).array, _mgu_ref(mgu, h, x), rtol=1e-12)
    _check(mgu, (h, x), mgu, [(2, 4)])


def test_stateful_mgu_steps_reset_and_set_state():
    mgu = _make(L.StatefulMGU, 3, 4)
    xs = [_r(2, 3, seed=s) for s in range(3)]
    h = numpy.zeros((2, 4))
    for x in xs:
        h = _mgu_ref(mgu, h, x)
        y = mgu(x)
        assert mgu.h is y
        numpy.testing.assert_allclose(y.array, h, rtol=1e-12)
    mgu.reset_state()
    assert mgu.h is None
    numpy.testing.assert_allclose(mgu(xs[0]).array, _mgu_ref(mgu, numpy.zeros((2, 4)), xs[0]),
                                  rtol=1e-12)
    h0 = _r(2, 4, seed=7)
    mgu.set_state(variable.Variable(h0))
    numpy.testing.assert_allclose(mgu(xs[1]).array, _mgu_ref(mgu, h0, xs[1]), rtol=1e-12)
    with pytest.raises(AssertionError):
        mgu.set_state(h0)

    def two_steps(x1, x2):
        mgu.reset_state()
        mgu(x1)
        return mgu(x2)

    _check(two_steps, (xs[0], xs[1]), mgu, [(2, 4)])


# -- peephole LSTM ---------------------------------------------------------------------------
def _gates(z, n):
    """Interleaved gates: gate ``g`` of unit ``k`` in column ``4 k + g``."""
    z = z.reshape(len(z), n, 4)
    return [z[:, :, g] for g in range(4)]


def _peephole_ref(link, c, h, x):
    z = _lin(link.upward, x)
    if h is not None:
        z = z + _lin(link.lateral, h)
    a, i, f, o = _gates(z, c.shape[1])
    c_new = numpy.tanh(a) * _sig(i + _lin(link.peep_i, c)) + _sig(f + _lin(link.peep_f, c)) * c
    h_new = _sig(o + _lin(link.peep_o, c_new)) * numpy.tanh(c_new)
    return c_new, h_new


def test_peephole_lstm_steps_reset_and_backward():
    lstm = _make(L.StatefulPeepholeLSTM, 3, 4)
    assert _names_shapes(lstm) == {"/upward/W": (16, 3), "/upward/b": (16,),
                                   "/lateral/W": (16, 4), "/peep_i/W": (4, 4),
                                   "/peep_f/W": (4, 4), "/peep_o/W": (4, 4)}
    for p in lstm.params():  # Chainer's default initializers: nothing left at zero
        if p.name == "W":
            assert numpy.abs(p.array).min() > 0
    xs = [_r(2, 3, seed=s) for s in range(3)]
    c, h = numpy.zeros((2, 4)), None
    for x in xs:
        c, h = _peephole_ref(lstm, c, h, x)
        y = lstm(x)
        assert lstm.h is y
        numpy.testing.assert_allclose(y.array, h, rtol=1e-12)
        numpy.testing.assert_allclose(lstm.c.array, c, rtol=1e-12)
    lstm.reset_state()
    assert lstm.c is None and lstm.h is None
    _, h1 = _peephole_ref(lstm, numpy.zeros((2, 4)), None, xs[2])
    numpy.testing.assert_allclose(lstm(xs[2]).array, h1, rtol=1e-12)
    c0, h0 = _r(2, 4, seed=5), _r(2, 4, seed=6)
    lstm.set_state(variable.Variable(c0), variable.Variable(h0))
    numpy.testing.assert_allclose(lstm(xs[0]).array, _peephole_ref(lstm, c0, h0, xs[0])[1],
                                  rtol=1e-12)

    def two_steps(x1, x2, c_init):
        lstm.reset_state()
        lstm.c = c_init
        lstm(x1)
        return lstm(x2), lstm.c

    _check(two_steps, (xs[0], xs[1], c0), lstm, [(2, 4), (2, 4)])


# -- zoneout LSTM ----------------------------------------------------------------------------
def _zoneout_ref(link, c, h, x, rng, train=True):
    z = _lin(link.upward, x)
    if h is not None:
        z = z + _lin(link.lateral, h)
    else:
        h = numpy.zeros_like(c)
    a, i, f, o = _gates(z, c.shape[1])
    c_tmp = numpy.tanh(a) * _sig(i) + _sig(f) * c
    h_tmp = _sig(o) * numpy.tanh(c_tmp)
    if not train:
        return c_tmp, h_tmp
    take_c = rng.rand(*c.shape) >= link.c_ratio  # the cell's mask is drawn first
    take_h = rng.rand(*h.shape) >= link.h_ratio
    return numpy.where(take_c, c_tmp, c), numpy.where(take_h, h_tmp, h)


def test_zoneout_lstm_train_matches_masks_drawn_from_the_global_rng():
    lstm = _make(L.StatefulZoneoutLSTM, 3, 4, c_ratio=0.3, h_ratio=0.6)
    assert _names_shapes(lstm) == {"/upward/W": (16, 3), "/upward/b": (16,),
                                   "/lateral/W": (16, 4)}
    xs = [_r(5, 3, seed=s) for s in range(3)]
    numpy.random.seed(11)
    ys = [lstm(x).array for x in xs]
    c_last = lstm.c.array
    numpy.random.seed(11)
    c, h = numpy.zeros((5, 4)), None
    kept = 0
    for x, y in zip(xs, ys):
        c_prev = c
        c, h = _zoneout_ref(lstm, c, h, x, numpy.random)
        numpy.testing.assert_allclose(y, h, rtol=1e-12)
        kept += (c == c_prev).sum()
    numpy.testing.assert_allclose(c_last, c, rtol=1e-12)
    assert 0 < kept < 60  # some units zoned out, not all

    lstm.reset_state()
    with using_config("train", False):  # test mode: a plain LSTM step
        y = lstm(xs[0]).array
    c_ref, h_ref = _zoneout_ref(lstm, numpy.zeros((5, 4)), None, xs[0], None, train=False)
    numpy.testing.assert_allclose(y, h_ref, rtol=1e-12)
    numpy.testing.assert_allclose(lstm.c.array, c_ref, rtol=1e-12)


def test_zoneout_lstm_extreme_ratios_set_state_and_kwargs():
    frozen = _make(L.StatefulZoneoutLSTM, 3, 4, c_ratio=1.0, h_ratio=1.0)
    c0, h0 = _r(2, 4, seed=3), _r(2, 4, seed=4)
    frozen.set_state(variable.Variable(c0), variable.Variable(h0))
    numpy.testing.assert_array_equal(frozen(_r(2, 3)).array, h0)
    numpy.testing.assert_array_equal(frozen.c.array, c0)
    free = _make(L.StatefulZoneoutLSTM, 3, 4, c_ratio=0.0, h_ratio=0.0)
    x = _r(2, 3)
    free.set_state(variable.Variable(c0), variable.Variable(h0))
    c_ref, h_ref = _zoneout_ref(free, c0, h0, x, None, train=False)
    numpy.testing.assert_allclose(free(x).array, h_ref, rtol=1e-12)
    numpy.testing.assert_allclose(free.c.array, c_ref, rtol=1e-12)
    with pytest.raises(ValueError, match="train"):
        L.StatefulZoneoutLSTM(3, 4, train=True)
    with pytest.raises(TypeError):
        L.StatefulZoneoutLSTM(3, 4, bogus=1)


def test_zoneout_lstm_backward_with_fixed_masks():
    lstm = _make(L.StatefulZoneoutLSTM, 3, 4, c_ratio=0.4, h_ratio=0.4)
    xs = (_r(3, 3, seed=1), _r(3, 3, seed=2), _r(3, 4, seed=3), _r(3, 4, seed=4))

    def two_steps(x1, x2, c0, h0):
        numpy.random.seed(21)  # the same masks on every evaluation
        lstm.set_state(c0, h0)
        lstm(x1)
        return lstm(x2), lstm.c

    _check(two_steps, xs, lstm, [(3, 4), (3, 4)])


# -- tree LSTMs ------------------------------------------------------------------------------
def _tree_cell(a, i, o, fs, cs):
    c = numpy.tanh(a) * _sig(i)
    for f, ck in zip(fs, cs):
        c = c + _sig(f) * ck
    return c, _sig(o) * numpy.tanh(c)


def _child_sum_ref(link, cs, hs, x):
    n = link.state_size
    u = _lin(link.W_x, x)
    if not hs:
        return _tree_cell(u[:, :n], u[:, n:2 * n], u[:, 2 * n:3 * n], [], [])
    aio = u[:, :3 * n] + _lin(link.W_h_aio, sum(hs))
    fs = [u[:, 3 * n:] + _lin(link.W_h_f, h) for h in hs]
    return _tree_cell(aio[:, :n], aio[:, n:2 * n], aio[:, 2 * n:], fs, cs)


def test_child_sum_tree_lstm_forward_order_and_missing_children():
    unit = _make(L.ChildSumTreeLSTM, 3, 4)
    assert _names_shapes(unit) == {"/W_x/W": (16, 3), "/W_x/b": (16,),
                                   "/W_h_aio/W": (12, 4), "/W_h_f/W": (4, 4)}
    x = _r(2, 3)
    cs = [_r(2, 4, seed=s) for s in (1, 2, 3)]
    hs = [_r(2, 4, seed=s) for s in (4, 5, 6)]
    c, h = unit(*cs, *hs, x)
    c_ref, h_ref = _child_sum_ref(unit, cs, hs, x)
    numpy.testing.assert_allclose(c.array, c_ref, rtol=1e-12)
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-12)
    c2, h2 = unit(cs[2], cs[0], cs[1], hs[2], hs[0], hs[1], x)  # children permuted
    numpy.testing.assert_allclose(c2.array, c.array, rtol=1e-12)
    numpy.testing.assert_allclose(h2.array, h.array, rtol=1e-12)
    # leaf: no forget gate
    leaf = _child_sum_ref(unit, [], [], x)
    for got, want in zip(unit(x), leaf):
        numpy.testing.assert_allclose(got.array, want, rtol=1e-12)
    # None children are zeros, a None input is a zero input
    zero = numpy.zeros((2, 4))
    got = unit(None, cs[1], hs[0], None, None)
    want = _child_sum_ref(unit, [zero, cs[1]], [hs[0], zero], numpy.zeros((2, 3)))
    for g, w in zip(got, want):
        numpy.testing.assert_allclose(g.array, w, rtol=1e-12)
    with pytest.raises(ValueError, match="None"):
        unit(None, None, None)
    with pytest.raises(AssertionError):
        unit(cs[0], x)


def test_child_sum_tree_lstm_backward():
    unit = _make(L.ChildSumTreeLSTM, 3, 4)
    inputs = (_r(2, 4, seed=1), _r(2, 4, seed=2), _r(2, 4, seed=3), _r(2, 4, seed=4),
              _r(2, 3, seed=5))
    _check(unit, inputs, unit, [(2, 4), (2, 4)])
    _check(unit, (_r(2, 3, seed=6),), unit, [(2, 4), (2, 4)])


def _nary_ref(link, cs, hs, x):
    n = link.state_size
    z = _lin(link.W_x, x)
    for k, h in enumerate(hs, start=1):
        z = z + _lin(getattr(link, f"W_h{k}"), h)
    blocks = [z[:, j * n:(j + 1) * n] for j in range(3 + link.n_ary)]
    return _tree_cell(blocks[0], blocks[1], blocks[2], blocks[3:], cs)


def test_nary_tree_lstm_forward_order_and_missing_children():
    unit = _make(L.NaryTreeLSTM, 3, 4, n_ary=3)
    assert _names_shapes(unit) == {"/W_x/W": (24, 3), "/W_x/b": (24,), "/W_h1/W": (24, 4),
                                   "/W_h2/W": (24, 4), "/W_h3/W": (24, 4)}
    x = _r(2, 3)
    cs = [_r(2, 4, seed=s) for s in (1, 2, 3)]
    hs = [_r(2, 4, seed=s) for s in (4, 5, 6)]
    c, h = unit(*cs, *hs, x)
    c_ref, h_ref = _nary_ref(unit, cs, hs, x)
    numpy.testing.assert_allclose(c.array, c_ref, rtol=1e-12)
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-12)
    c2, _ = unit(cs[1], cs[0], cs[2], hs[1], hs[0], hs[2], x)
    assert not numpy.allclose(c2.array, c.array)  # the order of the children matters
    zero = numpy.zeros((2, 4))
    got = unit(None, cs[1], None, hs[0], None, None, None)
    want = _nary_ref(unit, [zero, cs[1], zero], [hs[0], zero, zero], numpy.zeros((2, 3)))
    for g, w in zip(got, want):
        numpy.testing.assert_allclose(g.array, w, rtol=1e-12)
    with pytest.raises(ValueError, match="None"):
        unit(*([None] * 7))
    with pytest.raises(AssertionError):
        unit(x)
    with pytest.raises(AssertionError):
        L.NaryTreeLSTM(3, 4, n_ary=0)


def test_nary_tree_lstm_backward():
    unit = _make(L.NaryTreeLSTM, 3, 4, n_ary=2)
    inputs = (_r(2, 4, seed=1), _r(2, 4, seed=2), _r(2, 4, seed=3), _r(2, 4, seed=4),
              _r(2, 3, seed=5))
    _check(unit, inputs, unit, [(2, 4), (2, 4)])


def test_float32_state_dtype_follows_input():
    for link in (L.StatefulMGU(3, 4), L.StatefulPeepholeLSTM(3, 4),
                 L.StatefulZoneoutLSTM(3, 4)):
        y = link(_r(2, 3, dtype=numpy.float32))
        assert y.dtype == numpy.float32 and link.h.dtype == numpy.float32


def test_state_survives_serialization_of_params(tmp_path):
    src = L.StatefulPeepholeLSTM(3, 4)
    dst = L.StatefulPeepholeLSTM(3, 4)
    kusari.serializers.save_npz(str(tmp_path / "p.npz"), src)
    kusari.serializers.load_npz(str(tmp_path / "p.npz"), dst)
    x = _r(2, 3, dtype=numpy.float32)
    numpy.testing.assert_array_equal(src(x).array, dst(x).array)
    with numpy.load(str(tmp_path / "p.npz")) as f:
        assert sorted(f.files) == ["lateral/W", "peep_f/W", "peep_i/W", "peep_o/W",
                                   "upward/W", "upward/b"]


# -- against the reference Chainer 7 -----------------------------------------------------------
REF_SCRIPT = """
RS = numpy.random.RandomState(1)
V = chainer.Variable
def f(*shape):
    return numpy.asarray(RS.randn(*shape), numpy.float32)
def run(name, link, outs_fn, inputs):
    for pname, p in link.namedparams():
        OUT[name + '/param' + pname] = p.array
    outs = outs_fn(link)
    loss = 0
    for i, o in enumerate(outs):
        OUT[name + '/out%d' % i] = o.array
        loss = loss + F.sum(o * f(*o.shape))
    link.cleargrads()
    loss.backward()
    for pname, p in link.namedparams():
        OUT[name + '/grad' + pname] = p.grad
    for i, v in enumerate(inputs):
        OUT[name + '/gx%d' % i] = v.grad
def steps(link, xs, extra=()):
    outs = [link(x) for x in xs] + [getattr(link, a) for a in extra]
    link.reset_state()
    return outs + [link(xs[0])]
def zoneout(link, xs):
    numpy.random.seed(5)
    outs = [link(x) for x in xs] + [link.c]
    with chainer.using_config('train', False):
        outs.append(link(xs[0]))
    return outs
def tree(link, x1, x2, x3):
    c1, h1 = link(x1)
    c2, h2 = link(x2)
    c3, h3 = link(c1, c2, None, h1, h2, None, x3)
    return [c1, h1, c2, h2, c3, h3] + list(link(c3, h3, None))
def nary(link, x1, x2):
    c1, h1 = link(None, None, None, None, None, None, x1)
    c2, h2 = link(c1, None, c1, h1, h1, None, x2)
    return [c1, h1, c2, h2] + list(link(c2, c1, None, h2, None, h1, None))
numpy.random.seed(0)
x, h = V(f(2, 3)), V(f(2, 4))
run('StatelessMGU', L.StatelessMGU(3, 4), lambda l: [l(h, x)], [x, h])
for name, ctor, extra in [('StatefulMGU', 'L.StatefulMGU(3, 4)', ()),
                          ('Peephole', 'L.StatefulPeepholeLSTM(3, 4)', ('c',))]:
    numpy.random.seed(0)
    link = eval(ctor)
    xs = [V(f(2, 3)) for _ in range(3)]
    run(name, link, lambda l: steps(l, xs, extra), xs)
numpy.random.seed(0)
link = L.StatefulZoneoutLSTM(3, 4, c_ratio=0.3, h_ratio=0.6)
xs = [V(f(2, 3)) for _ in range(3)]
run('Zoneout', link, lambda l: zoneout(l, xs), xs)
numpy.random.seed(0)
link = L.ChildSumTreeLSTM(3, 4)
xs = [V(f(2, 3)) for _ in range(3)]
run('ChildSum', link, lambda l: tree(l, *xs), xs)
numpy.random.seed(0)
link = L.NaryTreeLSTM(3, 4, n_ary=3)
xs = [V(f(2, 3)) for _ in range(2)]
run('Nary', link, lambda l: nary(l, *xs), xs)
"""


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_rnn_links_match_chainer():
    ours = _chainer_ref.run("kusari", REF_SCRIPT)
    ref = _chainer_ref.run("chainer", REF_SCRIPT)
    assert sorted(ours) == sorted(ref)
    assert len(ref) > 90
    for k, r in ref.items():
        o = ours[k]
        assert o.shape == r.shape and o.dtype == r.dtype, k
        if "/param/" in k:  # the same initial draws from the same seed
            numpy.testing.assert_array_equal(o, r, err_msg=k)
        else:
            numpy.testing.assert_allclose(o, r, rtol=1e-5, atol=1e-6, err_msg=k)
