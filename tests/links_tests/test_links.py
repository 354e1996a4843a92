"""Links: forward against NumPy, gradients, lazy initialization, serialization, copies."""

import copy
import io

import numpy
import pytest

import kusari
from kusari import functions as F
from kusari import gradient_check, serializers
from kusari import links as L
from kusari.configuration import using_config


def _r(*shape, seed=0):
    return numpy.random.RandomState(seed).randn(*shape).astype(numpy.float32)


# -- Linear -------------------------------------------------------------------------------
def test_linear_forward_backward_and_lazy():
    layer = L.Linear(3, 4)
    x = _r(2, 3)
    numpy.testing.assert_allclose(layer(x).array, x @ layer.W.array.T + layer.b.array,
                                  rtol=1e-6)
    gradient_check.check_backward(layer, x.astype(numpy.float64).astype(numpy.float32),
                                  _r(2, 4, seed=1), params=(layer.W, layer.b), atol=1e-3,
                                  rtol=1e-3, dtype=numpy.float64)
    lazy = L.Linear(4)
    assert lazy.W.array is None
    assert lazy(_r(2, 3, 2)).shape == (2, 4)
    assert lazy.W.shape == (4, 6)


# -- Convolution2D ----------------------------------------------------------------------
def _conv_ref(x, W, b, stride, pad):
    n, c, h, w = x.shape
    o, _, kh, kw = W.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    y = numpy.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = numpy.tensordot(patch, W, ((1, 2, 3), (1, 2, 3)))
    return y + b[None, :, None, None]


@pytest.mark.parametrize("args,kwargs", [((3, 4, 3), {"stride": 2, "pad": 1}),
                                         ((4, 3), {}), ((None, 4, 3), {"pad": 1})])
def test_convolution_2d(args, kwargs):
    conv = L.Convolution2D(*args, **kwargs)
    x = _r(2, 3, 5, 5)
    y = conv(x)
    assert conv.W.shape == (4, 3, 3, 3) and conv.b.shape == (4,)
    numpy.testing.assert_allclose(y.array, _conv_ref(x, conv.W.array, conv.b.array,
                                                     conv.stride[0], conv.pad[0]),
                                  rtol=1e-4, atol=1e-5)
    gradient_check.check_backward(conv, x, _r(*y.shape, seed=2), params=(conv.W, conv.b),
                                  atol=1e-3, rtol=1e-3, dtype=numpy.float64)


def test_convolution_2d_argument_parsing():
    with pytest.raises(ValueError, match="deterministic"):
        L.Convolution2D(3, 4, 3, deterministic=True)
    with pytest.raises(TypeError):
        L.Convolution2D(3, 4, 3, bogus=1)
    with pytest.raises(ValueError, match="divisible"):
        L.Convolution2D(3, 4, 3, groups=2)
    conv = L.Convolution2D(4, 6, 3, groups=2, dilate=2)
    assert conv.W.shape == (6, 2, 3, 3) and conv.dilate == (2, 2)
    assert L.Convolution2D(3, 4, (2, 3), nobias=True).b is None
    assert L.ConvolutionND(3, 4, 2).W.array is None  # (ndim, out, ksize): lazy
    assert L.Deconvolution2D(4, 3).W.array is None
    assert L.Deconvolution2D(3, 4, 3).W.shape == (3, 4, 3, 3)


# -- BatchNormalization -----------------------------------------------------------------
def test_batch_normalization_train_test_and_statistics():
    bn = L.BatchNormalization(3, decay=0.8, eps=1e-5)
    bn.gamma.array[...] = [1.0, 2.0, 0.5]
    bn.beta.array[...] = [0.0, 1.0, -1.0]
    x = _r(6, 3, 2)
    y = bn(x)
    mean, var = x.mean(axis=(0, 2)), x.var(axis=(0, 2))
    ref = (x - mean[None, :, None]) / numpy.sqrt(var[None, :, None] + 1e-5)
    ref = ref * bn.gamma.array[None, :, None] + bn.beta.array[None, :, None]
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-4, atol=1e-5)
    m = x.shape[0] * x.shape[2]
    numpy.testing.assert_allclose(bn.avg_mean, 0.2 * mean, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(bn.avg_var, 0.8 + 0.2 * var * m / (m - 1), rtol=1e-5)
    with using_config("train", False):
        y2 = bn(x)
    ref2 = (x - bn.avg_mean[None, :, None]) / numpy.sqrt(bn.avg_var[None, :, None] + 1e-5)
    ref2 = ref2 * bn.gamma.array[None, :, None] + bn.beta.array[None, :, None]
    numpy.testing.assert_allclose(y2.array, ref2, rtol=1e-4, atol=1e-5)


def test_batch_normalization_finetune_averages():
    bn = L.BatchNormalization(2)
    xs = [_r(4, 2, seed=s) for s in range(3)]
    for x in xs:
        bn(x, finetune=True)
    assert bn.N == 3
    numpy.testing.assert_allclose(bn.avg_mean, numpy.mean([x.mean(0) for x in xs], 0),
                                  rtol=1e-5, atol=1e-6)
    bn.start_finetuning()
    assert bn.N == 0
    with pytest.raises(ValueError, match="test argument"):
        bn(xs[0], test=True)


def test_batch_normalization_lazy_axis_and_errors():
    with pytest.raises(RuntimeError):
        L.BatchNormalization()
    bn = L.BatchNormalization(axis=(0, 2, 3))
    assert bn.avg_mean is None and bn.gamma.array is None
    bn(_r(2, 3, 2, 2))
    assert bn.avg_mean.shape == (3,) and bn.gamma.shape == (3,)
    bn = L.BatchNormalization(3, axis=0)
    assert bn.axis == (0,)
    bn16 = L.BatchNormalization(3, dtype=numpy.float16)
    assert bn16.avg_mean.dtype == numpy.float16 and bn16.gamma.dtype == numpy.float16
    nogb = L.BatchNormalization(3, use_gamma=False, use_beta=False)
    assert nogb.gamma is None and [n for n, _ in nogb.namedparams()] == []


def test_batch_normalization_gradient():
    bn = L.BatchNormalization(3)
    x = _r(5, 3)
    gradient_check.check_backward(bn, x, _r(5, 3, seed=3), params=(bn.gamma, bn.beta),
                                  atol=1e-2, rtol=1e-2, dtype=numpy.float64)


# -- EmbedID -----------------------------------------------------------------------------
def test_embed_id():
    emb = L.EmbedID(5, 3, ignore_label=-1)
    ids = numpy.array([[0, 4, -1]], numpy.int32)
    y = emb(ids)
    assert y.shape == (1, 3, 3)
    numpy.testing.assert_array_equal(y.array[0, :2], emb.W.array[[0, 4]])
    numpy.testing.assert_array_equal(y.array[0, 2], 0)
    F.sum(y * _r(1, 3, 3)).backward()
    assert emb.W.grad[1:4].sum() == 0  # unused rows
    assert numpy.abs(emb.W.grad[0]).sum() > 0
    w = _r(4, 2)
    assert numpy.array_equal(L.EmbedID.from_params(w).W.array, w)


# -- LSTM --------------------------------------------------------------------------------
def _lstm_ref(c, h, x, lstm):
    z = x @ lstm.upward.W.array.T + lstm.upward.b.array
    if h is not None:
        z = z + h @ lstm.lateral.W.array.T
    z = z.reshape(len(x), -1, 4)
    a, i, f, o = (z[:, :, k] for k in range(4))
    sig = lambda v: 1 / (1 + numpy.exp(-v))  # noqa: E731
    c_new = numpy.tanh(a) * sig(i) + sig(f) * (0 if c is None else c)
    return c_new, sig(o) * numpy.tanh(c_new)


def test_lstm_steps_with_shrinking_batch():
    lstm = L.LSTM(3, 4)
    assert [n for n, _ in lstm.namedparams()] == ["/lateral/W", "/upward/W", "/upward/b"]
    b = lstm.upward.b.array.reshape(4, 4)
    numpy.testing.assert_array_equal(b[:, 2], 1)  # forget gate bias
    numpy.testing.assert_array_equal(b[:, [0, 1, 3]], 0)
    x1, x2 = _r(3, 3), _r(2, 3, seed=1)
    y1 = lstm(x1)
    c, h = _lstm_ref(None, None, x1, lstm)
    numpy.testing.assert_allclose(y1.array, h, rtol=1e-5, atol=1e-6)
    y2 = lstm(x2)
    c2, h2 = _lstm_ref(c[:2], h[:2], x2, lstm)
    numpy.testing.assert_allclose(y2.array, h2, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(lstm.h.array[:2], h2, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(lstm.h.array[2], h[2], rtol=1e-6)
    numpy.testing.assert_allclose(lstm.c.array[:2], c2, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError):
        lstm(_r(4, 3))
    lstm.reset_state()
    assert lstm.h is None and lstm.c is None
    lstm.set_state(kusari.Variable(c), kusari.Variable(h))
    assert lstm.h.shape == (3, 4)


def test_lstm_backward_through_time():
    lstm = L.LSTM(3, 4)

    def run(x1, x2):
        lstm.reset_state()
        lstm(x1)
        return lstm(x2)

    gradient_check.check_backward(run, (_r(2, 3), _r(2, 3, seed=1)), _r(2, 4, seed=2),
                                  params=tuple(lstm.params()), atol=1e-3, rtol=1e-3,
                                  dtype=numpy.float64)


def test_lstm_lazy_and_stateless():
    lstm = L.LSTM(4)
    assert lstm.upward.W.array is None
    lstm(_r(2, 5))
    assert lstm.upward.W.shape == (16, 5)
    sl = L.StatelessLSTM(3, 4)
    c, h = sl(None, None, _r(2, 3))
    c_ref, h_ref = _lstm_ref(None, None, _r(2, 3), sl)
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-5, atol=1e-6)


# -- Classifier ---------------------------------------------------------------------------
def test_classifier_reports_loss_and_accuracy():
    model = L.Classifier(L.Linear(3, 4))
    x, t = _r(5, 3), numpy.array([0, 1, 2, 3, 0], numpy.int32)
    reporter = kusari.Reporter()
    reporter.add_observer("main", model)
    observation = {}
    with reporter.scope(observation):
        loss = model(x, t)
    y = x @ model.predictor.W.array.T + model.predictor.b.array
    logp = y - numpy.log(numpy.exp(y).sum(1, keepdims=True))
    numpy.testing.assert_allclose(loss.array, -logp[numpy.arange(5), t].mean(), rtol=1e-5)
    assert set(observation) == {"main/loss", "main/accuracy"}
    assert float(observation["main/accuracy"].array) == pytest.approx((y.argmax(1) == t).mean())
    model.compute_accuracy = False
    model(x, t)
    assert model.accuracy is None


def test_classifier_label_key():
    model = L.Classifier(L.Linear(3, 4), label_key="t")
    model(_r(2, 3), t=numpy.array([0, 1], numpy.int32))
    model = L.Classifier(L.Linear(3, 4), label_key=0)
    model(numpy.array([0, 1], numpy.int32), _r(2, 3))
    with pytest.raises(ValueError, match="out of bounds"):
        L.Classifier(L.Linear(3, 4), label_key=5)(_r(2, 3))
    with pytest.raises(ValueError, match="not found"):
        L.Classifier(L.Linear(3, 4), label_key="t")(_r(2, 3))
    with pytest.raises(TypeError):
        L.Classifier(L.Linear(3, 4), label_key=1.0)


# -- every link: serialization, copies, repeat, devices -------------------------------------
def _lstm_builder():
    return L.LSTM(3, 4)


LINKS = [
    (lambda: L.Linear(3, 4), lambda: (_r(2, 3),)),
    (lambda: L.Convolution2D(3, 4, 3), lambda: (_r(2, 3, 5, 5),)),
    (lambda: L.Deconvolution2D(3, 2, 3), lambda: (_r(1, 3, 3, 3),)),
    (lambda: L.ConvolutionND(1, 3, 2, 2), lambda: (_r(2, 3, 4),)),
    (lambda: L.DepthwiseConvolution2D(3, 2, 3), lambda: (_r(1, 3, 4, 4),)),
    (lambda: L.EmbedID(5, 3), lambda: (numpy.array([1, 2], numpy.int32),)),
    (lambda: L.BatchNormalization(3), lambda: (_r(4, 3),)),
    (lambda: L.LayerNormalization(3), lambda: (_r(4, 3),)),
    (_lstm_builder, lambda: (_r(2, 3),)),
    (lambda: L.StatefulGRU(3, 4), lambda: (_r(2, 3),)),
    (lambda: L.Highway(3), lambda: (_r(2, 3),)),
    (lambda: L.Maxout(3, 2, 2), lambda: (_r(2, 3),)),
    (lambda: L.PReLU(), lambda: (_r(2, 3),)),
    (lambda: L.Scale(W_shape=(3,), bias_term=True), lambda: (_r(2, 3),)),
    (lambda: L.Bias(shape=(3,)), lambda: (_r(2, 3),)),
]


@pytest.mark.parametrize("make,inputs", LINKS)
def test_serialization_round_trip(make, inputs):
    src = make()
    src(*inputs())  # updates persistents, initializes lazy parameters
    buf = io.BytesIO()
    serializers.save_npz(buf, src)
    buf.seek(0)
    dst = make()
    serializers.load_npz(buf, dst)
    for (n1, p1), (n2, p2) in zip(src.namedparams(), dst.namedparams()):
        assert n1 == n2
        numpy.testing.assert_array_equal(p1.array, p2.array)
    for (_path, l1), (_, l2) in zip(src.namedlinks(), dst.namedlinks()):
        for name in l1._persistent:
            numpy.testing.assert_array_equal(getattr(l1, name), getattr(l2, name))
    if hasattr(src, "reset_state"):
        src.reset_state()
        dst.reset_state()
    with using_config("train", False):
        numpy.testing.assert_array_equal(src(*inputs()).array, dst(*inputs()).array)


@pytest.mark.parametrize("make,inputs", LINKS)
def test_copy_modes_and_deepcopy(make, inputs):
    link = make()
    link(*inputs())
    shared = link.copy(mode="share")
    copied = link.copy(mode="copy")
    deep = copy.deepcopy(link)
    reinit = link.copy(mode="init")
    for (_name, p), (_, ps), (_, pc), (_, pd), (_, pi) in zip(
            link.namedparams(), shared.namedparams(), copied.namedparams(),
            deep.namedparams(), reinit.namedparams()):
        assert ps is not p and ps.array is p.array
        assert pc.array is not p.array and numpy.array_equal(pc.array, p.array)
        assert pd.array is not p.array and numpy.array_equal(pd.array, p.array)
        assert pi.shape == p.shape and pi.array is not p.array
    first = next(link.params())
    first.array[...] += 1
    assert numpy.array_equal(next(shared.params()).array, first.array)
    assert not numpy.array_equal(next(copied.params()).array, first.array)


@pytest.mark.parametrize("make,inputs", LINKS[:3])
def test_repeat(make, inputs):
    link = make()
    seq = link.repeat(3, mode="copy")
    assert len(seq) == 3
    names = [n for n, _ in seq.namedparams()]
    assert names[0].startswith("/0/") and names[-1].startswith("/2/")
    assert len(L.Linear(2, 2).repeat(0)) == 0


@pytest.mark.parametrize("make,inputs", LINKS)
def test_to_device_cpu(make, inputs):
    link = make()
    assert link.to_device("@numpy") is link
    link(*inputs())
    assert all(isinstance(p.array, numpy.ndarray) for p in link.params())
    assert link.device.xp is numpy


def test_lstm_state_moves_with_the_link():
    lstm = L.LSTM(3, 4)
    lstm(_r(2, 3))
    lstm.to_cpu()
    assert isinstance(lstm.h.array, numpy.ndarray)
    c = lstm.copy("copy")
    assert c.h is not lstm.h or c.h.array is not lstm.h.array


def test_nstep_rnn_copy_keeps_weight_lists():
    rnn = L.NStepLSTM(2, 3, 4, 0.0)
    assert len(rnn.ws) == 2 and len(rnn.ws[0]) == 8
    for mode in ("share", "copy", "init"):
        c = rnn.copy(mode)
        assert c.ws[1][3] is c[1].w3
    d = copy.deepcopy(rnn)
    assert d.ws[0][0] is d[0].w0


@pytest.mark.parametrize("cls", ["NStepLSTM", "NStepBiLSTM", "NStepGRU", "NStepRNNTanh"])
def test_nstep_rnn_parameter_names(cls):
    link = getattr(L, cls)(2, 3, 4, 0.0)
    n_w = {"NStepLSTM": 8, "NStepBiLSTM": 8, "NStepGRU": 6, "NStepRNNTanh": 2}[cls]
    n_links = 4 if "Bi" in cls else 2
    names = [n for n, _ in link.namedparams()]
    assert len(names) == 2 * n_w * n_links
    assert "/0/w0" in names and f"/{n_links - 1}/b{n_w - 1}" in names
    with pytest.raises(ValueError, match="use_cudnn"):
        getattr(L, cls)(1, 3, 4, 0.0, use_cudnn=True)


def test_bilinear_parameters_and_errors():
    bl = L.Bilinear(2, 3, 4)
    assert [n for n, _ in bl.namedparams()] == ["/V1", "/V2", "/W", "/b"]
    assert [n for n, _ in L.Bilinear(2, 3, 4, nobias=True).namedparams()] == ["/W"]
    with pytest.raises(ValueError):
        L.Bilinear(2, 3, 4, initial_bias=1.0)
    with pytest.raises(AssertionError):
        L.Bilinear(2, 3, 4, initialW=numpy.zeros((2, 2, 2), numpy.float32))


def test_scale_bias_and_parameter_links():
    with pytest.raises(ValueError, match="bias_shape"):
        L.Scale(bias_term=True)
    s = L.Scale(W_shape=(3,), bias_term=True)
    assert [n for n, _ in s.namedparams()] == ["/W", "/bias/b"]
    x = _r(2, 3)
    numpy.testing.assert_allclose(s(x).array, x * s.W.array + s.bias.b.array)
    numpy.testing.assert_allclose(L.Bias()(x, numpy.ones(3, numpy.float32)).array, x + 1)
    p = L.Parameter(numpy.arange(3, dtype=numpy.float32))
    out = p()
    F.sum(out * out).backward()
    numpy.testing.assert_array_equal(p.W.grad, 2 * numpy.arange(3))


def test_maxout_and_prelu_forward():
    m = L.Maxout(3, 2, 4)
    x = _r(5, 3)
    z = (x @ m.linear.W.array.T + m.linear.b.array).reshape(5, 2, 4)
    numpy.testing.assert_allclose(m(x).array, z.max(axis=2), rtol=1e-6)
    with pytest.raises(ValueError):
        L.Maxout(3, 2, 4, initialW=numpy.zeros((8, 3), numpy.float32))
    p = L.PReLU(shape=(3,), init=0.5)
    numpy.testing.assert_allclose(p(x).array, numpy.where(x >= 0, x, 0.5 * x))


def test_gru_forward_matches_formula():
    gru = L.StatelessGRU(3, 4)
    h, x = _r(2, 4), _r(2, 3, seed=1)
    sig = lambda v: 1 / (1 + numpy.exp(-v))  # noqa: E731
    lin = lambda l, v: v @ l.W.array.T + l.b.array  # noqa: E731
    r = sig(lin(gru.W_r, x) + lin(gru.U_r, h))
    z = sig(lin(gru.W_z, x) + lin(gru.U_z, h))
    hb = numpy.tanh(lin(gru.W, x) + lin(gru.U, r * h))
    numpy.testing.assert_allclose(gru(h, x).array, z * hb + (1 - z) * h, rtol=1e-5,
                                  atol=1e-6)
    with pytest.raises(ValueError, match="StatelessGRU"):
        L.GRU(3, 4)(h, x)


def test_training_resumes_exactly_after_save_and_load(tmp_path):
    from kusari import optimizers

    class Net(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.conv = L.Convolution2D(2, 3, 3, pad=1)
                self.bn = L.BatchNormalization(3)
                self.fc = L.Linear(None, 4)

        def forward(self, x):
            return self.fc(F.relu(self.bn(self.conv(x))))

    def batches():
        rs = numpy.random.RandomState(7)
        for _ in range(6):
            yield _r(4, 2, 5, 5, seed=int(rs.randint(1000))), rs.randint(0, 4, 4).astype(
                numpy.int32)

    def build():
        numpy.random.seed(0)
        model = L.Classifier(Net())
        opt = optimizers.Adam(alpha=0.01)
        opt.setup(model)
        opt.add_hook(kusari.optimizer_hooks.WeightDecay(1e-3))
        return model, opt

    model, opt = build()
    for x, t in batches():
        opt.update(model, x, t)

    model2, opt2 = build()
    data = list(batches())
    for x, t in data[:3]:
        opt2.update(model2, x, t)
    serializers.save_npz(tmp_path / "m.npz", model2)
    serializers.save_npz(tmp_path / "o.npz", opt2)
    model3, opt3 = build()
    model3(*data[0])  # lazy parameters exist before loading (as after a Trainer resume)
    serializers.load_npz(tmp_path / "m.npz", model3)
    serializers.load_npz(tmp_path / "o.npz", opt3)
    for x, t in data[3:]:
        opt3.update(model3, x, t)
    for (name, p), (_, q) in zip(model.namedparams(), model3.namedparams()):
        numpy.testing.assert_array_equal(p.array, q.array, err_msg=name)
    numpy.testing.assert_array_equal(model.predictor.bn.avg_var, model3.predictor.bn.avg_var)
    assert model3.predictor.bn.N == model.predictor.bn.N
