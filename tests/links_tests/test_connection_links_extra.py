"""LocalConvolution2D, DeformableConvolution2D, MLPConvolution2D, Inception, InceptionBN.

Forward against plain float64 NumPy references, numerical gradients through the
parameters, Chainer's parameter and serialized names, lazy initialization, errors, and
(optional) agreement with the reference Chainer 7 including loading its snapshots.
"""

import os

import numpy
import pytest

import kusari
from kusari import gradient_check, serializers
from kusari import initializers as I
from kusari import links as L
from kusari.utils.type_check import InvalidType

from ..initializers_tests import _chainer_ref


@pytest.fixture(autouse=True)
def _seeded():
    """Deterministic initial weights and gradient-check directions (no flaky kinks)."""
    state = numpy.random.get_state()
    numpy.random.seed(0)
    yield
    numpy.random.set_state(state)


def _r(*shape, seed=0, scale=1.0):
    return (numpy.random.RandomState(seed).randn(*shape) * scale).astype(numpy.float32)


def _f64(a):
    return numpy.asarray(a, numpy.float64)


def _names(link):
    return sorted(n for n, _ in link.namedparams())


def _check_params_grad(link, x, seed=5, atol=1e-4, rtol=1e-3):
    y = link(x)
    params = tuple(p for _, p in sorted(link.namedparams()))
    # float64 with a small step, so ReLU / max-pooling kinks are practically never hit
    gradient_check.check_backward(link, x, _r(*y.shape, seed=seed), params=params,
                                  eps=1e-4, atol=atol, rtol=rtol, dtype=numpy.float64)


# -- NumPy references ---------------------------------------------------------------------
def _conv_ref(x, W, b=None, stride=1, pad=0):
    x, W = _f64(x), _f64(W)
    n, c, h, w = x.shape
    o, _, kh, kw = W.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    y = numpy.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = numpy.tensordot(patch, W, ((1, 2, 3), (1, 2, 3)))
    if b is not None:
        y += _f64(b)[None, :, None, None]
    return y


def _local_conv_ref(x, W, b, stride):
    x, W = _f64(x), _f64(W)
    o, oh, ow, c, kh, kw = W.shape
    sy, sx = stride
    y = numpy.zeros((x.shape[0], o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * sy:i * sy + kh, j * sx:j * sx + kw]
            y[:, :, i, j] = numpy.tensordot(patch, W[:, i, j], ((1, 2, 3), (1, 2, 3)))
    if b is not None:
        y += _f64(b)[None]
    return y


def _bilinear(img, py, px):
    """``img`` (n, c, H, W) read at per-sample points (n,), zeros outside."""
    n, c, H, Wd = img.shape
    out = numpy.zeros((n, c))
    y0, x0 = numpy.floor(py).astype(int), numpy.floor(px).astype(int)
    for dy in (0, 1):
        for dx in (0, 1):
            yy, xx = y0 + dy, x0 + dx
            wgt = (1 - numpy.abs(py - yy)) * (1 - numpy.abs(px - xx))
            for s in range(n):
                if 0 <= yy[s] < H and 0 <= xx[s] < Wd:
                    out[s] += wgt[s] * img[s, :, yy[s], xx[s]]
    return out


def _deform_ref(x, offset, W, b, stride, pad):
    x, offset, W = _f64(x), _f64(offset), _f64(W)
    o, c, kh, kw = W.shape
    k = kh * kw
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, _, oh, ow = offset.shape
    y = numpy.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            for ky in range(kh):
                for kx in range(kw):
                    t = ky * kw + kx
                    px = j * stride + kx + offset[:, t, i, j]
                    py = i * stride + ky + offset[:, k + t, i, j]
                    y[:, :, i, j] += _bilinear(xp, py, px) @ W[:, :, ky, kx].T
    if b is not None:
        y += _f64(b)[None, :, None, None]
    return y


def _relu(a):
    return numpy.maximum(a, 0)


def _max_pool_ref(x, stride, cover_all=False):
    x = _f64(x)
    n, c, h, w = x.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-numpy.inf)
    oh, ow = (h - 1) // stride + 1, (w - 1) // stride + 1
    y = numpy.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = xp[:, :, i * stride:i * stride + 3,
                               j * stride:j * stride + 3].max(axis=(2, 3))
    return y


def _avg_pool_ref(x, stride):
    x = _f64(x)
    n, c, h, w = x.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    oh, ow = (h - 1) // stride + 1, (w - 1) // stride + 1
    y = numpy.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = xp[:, :, i * stride:i * stride + 3,
                               j * stride:j * stride + 3].mean(axis=(2, 3))
    return y


def _bn_train_ref(h, bn):
    mean = h.mean(axis=(0, 2, 3), keepdims=True)
    var = h.var(axis=(0, 2, 3), keepdims=True)
    g = _f64(bn.gamma.array)[None, :, None, None]
    b = _f64(bn.beta.array)[None, :, None, None]
    return (h - mean) / numpy.sqrt(var + bn.eps) * g + b


# -- LocalConvolution2D -------------------------------------------------------------------
@pytest.mark.parametrize("stride", [1, 2, (1, 2)])
def test_local_convolution_2d_forward_and_grad(stride):
    lc = L.LocalConvolution2D(3, 2, in_size=(5, 6), ksize=3, stride=stride,
                              initial_bias=I.Normal(1.0))
    sy, sx = lc.stride
    oh, ow = (5 - 3) // sy + 1, (6 - 3) // sx + 1
    assert lc.W.shape == (2, oh, ow, 3, 3, 3) and lc.b.shape == (2, oh, ow)
    x = _r(2, 3, 5, 6)
    y = lc(x)
    assert y.shape == (2, 2, oh, ow) and y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, _local_conv_ref(x, lc.W.array, lc.b.array,
                                                           lc.stride), rtol=1e-5, atol=1e-5)
    _check_params_grad(lc, x)


def test_local_convolution_2d_names_nobias_and_lazy():
    assert _names(L.LocalConvolution2D(3, 4, 5, 3)) == ["/W", "/b"]
    nob = L.LocalConvolution2D(3, 4, 5, 3, nobias=True)
    assert nob.b is None and _names(nob) == ["/W"]
    x = _r(2, 3, 5, 5)
    numpy.testing.assert_allclose(nob(x).array, _local_conv_ref(x, nob.W.array, None, (1, 1)),
                                  rtol=1e-5, atol=1e-5)
    for lazy in (L.LocalConvolution2D(None, 4, ksize=2), L.LocalConvolution2D(3, 4, ksize=2)):
        assert lazy.W.array is None and lazy.b.array is None
        y = lazy(_r(1, 3, 4, 5))
        assert y.shape == (1, 4, 3, 4)
        assert lazy.W.shape == (4, 3, 4, 3, 2, 2) and lazy.b.shape == (4, 3, 4)
        assert lazy.in_channels == 3 and lazy.in_size == (4, 5)
    init = L.LocalConvolution2D(1, 1, 2, 2, initialW=2.0, initial_bias=0.5)
    assert float(init(numpy.ones((1, 1, 2, 2), numpy.float32)).array.ravel()[0]) == 8.5


def test_local_convolution_2d_errors():
    with pytest.raises(ValueError, match="ksize"):
        L.LocalConvolution2D(3, 4, 5)
    with pytest.raises(ValueError, match="larger than the input"):
        L.LocalConvolution2D(3, 4, 2, 3)
    with pytest.raises(TypeError, match="bogus"):
        L.LocalConvolution2D(3, 4, 5, 3, bogus=1)
    lc = L.LocalConvolution2D(3, 4, 5, 3)
    with pytest.raises(ValueError, match="4-d input"):
        lc(_r(3, 5, 5))
    with pytest.raises(ValueError, match="output"):
        lc(_r(1, 3, 6, 6))  # the filters are laid out for a 5x5 input
    with pytest.raises(InvalidType):
        lc(_r(1, 2, 5, 5))
    with pytest.raises(ValueError, match="larger than the input"):
        L.LocalConvolution2D(None, 4, ksize=3)(_r(1, 3, 2, 5))


# -- DeformableConvolution2D ----------------------------------------------------------------
@pytest.mark.parametrize("stride,pad", [(1, 0), (2, 1)])
def test_deformable_convolution_2d_forward_and_grad(stride, pad):
    dc = L.DeformableConvolution2D(2, 3, 3, stride=stride, pad=pad,
                                   offset_initialW=I.Normal(0.3),
                                   offset_initial_bias=I.Uniform(0.4),
                                   deform_initialW=I.Normal(1.0),
                                   deform_initial_bias=I.Normal(1.0))
    x = _r(2, 2, 5, 6)
    y = dc(x)
    oc = dc.offset_conv
    offset = _conv_ref(x, oc.W.array, oc.b.array, stride, pad)
    assert offset.shape[1] == 18
    expect = _deform_ref(x, offset, dc.deform_conv.W.array, dc.deform_conv.b.array,
                         stride, pad)
    assert y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-4, atol=1e-4)
    _check_params_grad(dc, x, atol=1e-3, rtol=1e-3)


def test_deformable_convolution_2d_defaults_names_and_lazy():
    dc = L.DeformableConvolution2D(3, 4, (3, 2))
    assert [(n, p.shape) for n, p in sorted(dc.namedparams())] == [
        ("/deform_conv/W", (4, 3, 3, 2)), ("/deform_conv/b", (4,)),
        ("/offset_conv/W", (12, 3, 3, 2)), ("/offset_conv/b", (12,))]
    assert not dc.deform_conv.W.array.any()  # Chainer's default: zeros
    assert dc.offset_conv.W.array.any()  # LeCunNormal
    nob = L.DeformableConvolution2D(3, 4, 3, offset_nobias=True, deform_nobias=True)
    assert _names(nob) == ["/deform_conv/W", "/offset_conv/W"]
    lazy = L.DeformableConvolution2D(None, 4, 3, pad=1)
    assert lazy.offset_conv.W.array is None and lazy.deform_conv.W.array is None
    assert lazy.deform_conv.b.array is None
    assert lazy(_r(2, 5, 4, 4)).shape == (2, 4, 4, 4)
    assert lazy.offset_conv.W.shape == (18, 5, 3, 3)
    assert lazy.deform_conv.W.shape == (4, 5, 3, 3) and lazy.deform_conv.b.shape == (4,)
    keys = serializers.DictionarySerializer()
    keys.save(dc)
    assert sorted(keys.target) == ["deform_conv/W", "deform_conv/b", "offset_conv/W",
                                   "offset_conv/b"]


def test_deformable_convolution_2d_errors():
    dc = L.DeformableConvolution2D(3, 4, 3)
    with pytest.raises(ValueError, match="4-d input"):
        dc(_r(3, 5, 5))
    with pytest.raises(ValueError, match="offset"):
        dc.deform_conv(_r(1, 3, 5, 5), _r(1, 8, 3, 3))


# -- MLPConvolution2D -----------------------------------------------------------------------
def test_mlp_convolution_2d_forward_and_grad():
    mlp = L.MLPConvolution2D(3, (4, 5, 2), 3, stride=2, pad=1,
                             bias_init=I.Normal(0.5))
    x = _r(2, 3, 5, 5)
    h = _relu(_conv_ref(x, mlp[0].W.array, mlp[0].b.array, 2, 1))
    h = _relu(_conv_ref(h, mlp[1].W.array, mlp[1].b.array))
    expect = _conv_ref(h, mlp[2].W.array, mlp[2].b.array)  # no activation at the end
    y = mlp(x)
    assert y.shape == (2, 2, 3, 3)
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-5, atol=1e-5)
    assert (y.array < 0).any()
    _check_params_grad(mlp, x)


def test_mlp_convolution_2d_structure_activation_and_lazy():
    mlp = L.MLPConvolution2D(3, (4, 5, 6), 3)
    assert [(n, p.shape) for n, p in mlp.namedparams()] == [
        ("/0/W", (4, 3, 3, 3)), ("/0/b", (4,)), ("/1/W", (5, 4, 1, 1)), ("/1/b", (5,)),
        ("/2/W", (6, 5, 1, 1)), ("/2/b", (6,))]
    assert len(mlp) == 3
    ident = L.MLPConvolution2D(2, (3, 2), 1, activation=lambda v: v * 2.0,
                               conv_init=I.Constant(1.0), bias_init=I.Constant(0.5))
    x = _r(1, 2, 2, 2)
    # (2 * (sum_c x + 0.5)) summed over 3 channels, + 0.5
    expect = 3 * 2 * (x.sum(axis=1) + 0.5) + 0.5
    numpy.testing.assert_allclose(ident(x).array[:, 0], expect, rtol=1e-5)
    for lazy in (L.MLPConvolution2D((4, 2), 3), L.MLPConvolution2D(None, (4, 2), 3)):
        assert lazy[0].W.array is None and lazy[1].W.shape == (2, 4, 1, 1)
        assert lazy(_r(1, 7, 4, 4)).shape == (1, 2, 2, 2)
        assert lazy[0].W.shape == (4, 7, 3, 3)


def test_mlp_convolution_2d_errors():
    with pytest.raises(TypeError, match="wscale"):
        L.MLPConvolution2D(3, (4,), 3, 1, 0, None, 1.0)
    with pytest.raises(ValueError, match="wscale"):
        L.MLPConvolution2D(3, (4,), 3, wscale=1.0)
    with pytest.raises(TypeError, match="bogus"):
        L.MLPConvolution2D(3, (4,), 3, bogus=1)
    with pytest.raises(ValueError, match="non-empty"):
        L.MLPConvolution2D(3, (), 3)
    with pytest.raises(InvalidType):
        L.MLPConvolution2D(3, (4,), 3)(_r(1, 2, 5, 5))


# -- Inception ----------------------------------------------------------------------------
def _inception_ref(inc, x):
    p = {n.strip("/"): p.array for n, p in inc.namedparams()}
    h1 = _conv_ref(x, p["conv1/W"], p["conv1/b"])
    h3 = _conv_ref(_relu(_conv_ref(x, p["proj3/W"], p["proj3/b"])), p["conv3/W"],
                   p["conv3/b"], pad=1)
    h5 = _conv_ref(_relu(_conv_ref(x, p["proj5/W"], p["proj5/b"])), p["conv5/W"],
                   p["conv5/b"], pad=2)
    hp = _conv_ref(_max_pool_ref(x, 1), p["projp/W"], p["projp/b"])
    return _relu(numpy.concatenate([h1, h3, h5, hp], axis=1))


def test_inception_forward_and_grad():
    inc = L.Inception(3, 2, 2, 3, 2, 2, 1, bias_init=I.Normal(0.5))
    x = _r(2, 3, 5, 5)
    y = inc(x)
    assert y.shape == (2, 8, 5, 5)
    numpy.testing.assert_allclose(y.array, _inception_ref(inc, x), rtol=1e-5, atol=1e-5)
    _check_params_grad(inc, x)


def test_inception_names_and_lazy():
    inc = L.Inception(3, 1, 2, 3, 4, 5, 6)
    assert [(n, p.shape) for n, p in sorted(inc.namedparams())] == [
        ("/conv1/W", (1, 3, 1, 1)), ("/conv1/b", (1,)), ("/conv3/W", (3, 2, 3, 3)),
        ("/conv3/b", (3,)), ("/conv5/W", (5, 4, 5, 5)), ("/conv5/b", (5,)),
        ("/proj3/W", (2, 3, 1, 1)), ("/proj3/b", (2,)), ("/proj5/W", (4, 3, 1, 1)),
        ("/proj5/b", (4,)), ("/projp/W", (6, 3, 1, 1)), ("/projp/b", (6,))]
    const = L.Inception(2, 1, 1, 1, 1, 1, 1, conv_init=I.Constant(0.0),
                        bias_init=I.Constant(0.25))
    assert numpy.all(const(_r(1, 2, 3, 3)).array == 0.25)
    lazy = L.Inception(None, 1, 2, 3, 4, 5, 6)
    assert lazy.conv1.W.array is None and lazy.conv3.W.shape == (3, 2, 3, 3)
    assert lazy(_r(1, 7, 4, 4)).shape == (1, 15, 4, 4)
    assert lazy.projp.W.shape == (6, 7, 1, 1)
    with pytest.raises(InvalidType):
        lazy(_r(1, 3, 4, 4))


# -- InceptionBN --------------------------------------------------------------------------
def _inception_bn_ref(inc, x):
    s = inc.stride

    def cbr(h, conv, bn, pad=0, stride=1):
        return _relu(_bn_train_ref(_conv_ref(h, conv.W.array, None, stride, pad), bn))

    outs = []
    if inc.out1 > 0:
        outs.append(cbr(x, inc.conv1, inc.conv1n))
    outs.append(cbr(cbr(x, inc.proj3, inc.proj3n), inc.conv3, inc.conv3n, 1, s))
    h = cbr(cbr(x, inc.proj33, inc.proj33n), inc.conv33a, inc.conv33an, 1)
    outs.append(cbr(h, inc.conv33b, inc.conv33bn, 1, s))
    p = _max_pool_ref(x, s) if inc.pooltype == "max" else _avg_pool_ref(x, s)
    if inc.proj_pool is not None:
        p = cbr(p, inc.poolp, inc.poolpn)
    outs.append(p)
    return numpy.concatenate(outs, axis=1)


@pytest.mark.parametrize("args,kwargs,out_shape", [
    ((3, 2, 2, 3, 2, 2, "max"), {"proj_pool": 2}, (3, 9, 5, 5)),
    ((3, 0, 2, 3, 2, 2, "avg"), {"stride": 2}, (3, 8, 3, 3)),
    ((3, 0, 2, 2, 2, 2, "max"), {"stride": 2, "proj_pool": 1}, (3, 5, 3, 3)),
])
def test_inception_bn_forward_and_grad(args, kwargs, out_shape):
    inc = L.InceptionBN(*args, **kwargs)
    for _, bn in inc.namedlinks(skipself=True):
        if isinstance(bn, L.BatchNormalization):  # non-trivial scale and shift
            bn.gamma.array[...] = _r(*bn.gamma.shape, seed=7) + 1.5
            bn.beta.array[...] = _r(*bn.beta.shape, seed=8)
    x = _r(3, 3, 5, 5)
    y = inc(x)
    assert y.shape == out_shape
    numpy.testing.assert_allclose(y.array, _inception_bn_ref(inc, x), rtol=1e-4, atol=1e-4)
    assert inc.proj3n.avg_mean.any()  # the running statistics moved
    _check_params_grad(inc, x, atol=1e-3, rtol=1e-3)


def test_inception_bn_test_mode_uses_running_stats():
    inc = L.InceptionBN(3, 0, 2, 3, 2, 2, "avg")
    x = _r(2, 3, 4, 4)
    with kusari.using_config("train", False):
        y = inc(x)
    bn, conv = inc.proj3n, inc.proj3
    h = _conv_ref(x, conv.W.array)  # initial running stats: mean 0, var 1
    expect = _relu(h / numpy.sqrt(1 + bn.eps))
    h2 = _relu(_conv_ref(expect, inc.conv3.W.array, pad=1) / numpy.sqrt(1 + bn.eps))
    numpy.testing.assert_allclose(y.array[:, :3], h2, rtol=1e-4, atol=1e-5)
    assert not bn.avg_mean.any()


def test_inception_bn_names_dtype_and_lazy():
    inc = L.InceptionBN(3, 1, 2, 3, 4, 5, "max", 6)
    keys = serializers.DictionarySerializer()
    keys.save(inc)
    expect = []
    for conv, n_out, shape in (("conv1", 1, (1, 3, 1, 1)), ("conv3", 3, (3, 2, 3, 3)),
                               ("conv33a", 5, (5, 4, 3, 3)), ("conv33b", 5, (5, 5, 3, 3)),
                               ("poolp", 6, (6, 3, 1, 1)), ("proj3", 2, (2, 3, 1, 1)),
                               ("proj33", 4, (4, 3, 1, 1))):
        expect += [(f"{conv}/W", shape)]
        expect += [(f"{conv}n/{k}", (n_out,)) for k in ("avg_mean", "avg_var", "beta",
                                                          "gamma")]
        expect += [(f"{conv}n/N", ())]
    assert sorted(keys.target) == sorted(k for k, _ in expect)
    for k, shape in expect:
        assert keys.target[k].shape == shape, k
    assert "/conv3/b" not in _names(inc)  # the convolutions have no bias
    small = L.InceptionBN(3, 0, 2, 3, 4, 5, "avg")
    assert not hasattr(small, "conv1") and not hasattr(small, "poolp")
    assert _names(small) == sorted(["/proj3/W", "/conv3/W", "/proj33/W", "/conv33a/W",
                                    "/conv33b/W", "/proj3n/gamma", "/proj3n/beta",
                                    "/conv3n/gamma", "/conv3n/beta", "/proj33n/gamma",
                                    "/proj33n/beta", "/conv33an/gamma", "/conv33an/beta",
                                    "/conv33bn/gamma", "/conv33bn/beta"])
    assert L.InceptionBN(3, 0, 2, 3, 4, 5, "avg", dtype=numpy.float64).proj3n.gamma.dtype \
        == numpy.float64
    lazy = L.InceptionBN(None, 1, 2, 3, 4, 5, "max", 6)
    assert lazy.proj3.W.array is None and lazy.conv3.W.shape == (3, 2, 3, 3)
    assert lazy(_r(2, 7, 4, 4)).shape == (2, 15, 4, 4)
    assert lazy.conv1.W.shape == (1, 7, 1, 1) and lazy.poolp.W.shape == (6, 7, 1, 1)


def test_inception_bn_errors():
    with pytest.raises(NotImplementedError, match="pooltype"):
        L.InceptionBN(3, 1, 2, 3, 4, 5, "min", 6)
    with pytest.raises(AssertionError, match="stride"):
        L.InceptionBN(3, 1, 2, 3, 4, 5, "max", 6, stride=2)
    with pytest.raises(AssertionError, match="proj_pool"):
        L.InceptionBN(3, 1, 2, 3, 4, 5, "max")
    with pytest.raises(InvalidType):
        L.InceptionBN(3, 0, 2, 3, 4, 5, "max")(_r(2, 4, 4, 4))


# -- serialization round trip -------------------------------------------------------------
def test_round_trip_npz(tmp_path):
    path = str(tmp_path / "m.npz")
    for make in (lambda: L.LocalConvolution2D(3, 2, 4, 2),
                 lambda: L.DeformableConvolution2D(3, 2, 3, deform_initialW=I.Normal(1.0)),
                 lambda: L.MLPConvolution2D(3, (4, 2), 3),
                 lambda: L.Inception(3, 1, 2, 2, 2, 2, 1),
                 lambda: L.InceptionBN(3, 1, 2, 2, 2, 2, "max", 1)):
        numpy.random.seed(0)
        src = make()
        x = _r(2, 3, 4, 4)
        src(x)  # updates the running statistics of InceptionBN
        serializers.save_npz(path, src)
        numpy.random.seed(1)
        dst = make()
        serializers.load_npz(path, dst)
        with kusari.using_config("train", False):
            numpy.testing.assert_array_equal(dst(x).array, src(x).array)


# -- the reference Chainer 7 --------------------------------------------------------------
REF_CASES = [
    ("Local", "L.LocalConvolution2D(3, 4, 5, 3, initial_bias=I.Normal(1.0))",
     "l(f(2, 3, 5, 5))", (2, 3, 5, 5)),
    ("LocalLazy", "L.LocalConvolution2D(None, 2, ksize=(2, 3))", "l(f(2, 3, 4, 5))",
     (2, 3, 4, 5)),
    ("Deform", "L.DeformableConvolution2D(3, 4, 3, pad=1, stride=2, "
               "offset_initialW=I.Normal(0.5), deform_initialW=I.Normal(1.0), "
               "offset_initial_bias=I.Uniform(0.5), deform_initial_bias=I.Normal(1.0))",
     "l(f(2, 3, 5, 6))", (2, 3, 5, 6)),
    ("DeformDefault", "L.DeformableConvolution2D(None, 2, 2)", "l(f(1, 3, 4, 4))",
     (1, 3, 4, 4)),
    ("MLP", "L.MLPConvolution2D(3, (4, 5, 2), 3, pad=1, bias_init=I.Normal(0.5))",
     "l(f(2, 3, 5, 5))", (2, 3, 5, 5)),
    ("MLPLazy", "L.MLPConvolution2D((4, 2), 2, activation=F.tanh)", "l(f(2, 3, 4, 4))",
     (2, 3, 4, 4)),
    ("Inception", "L.Inception(3, 2, 2, 3, 2, 2, 1, bias_init=I.Normal(0.5))",
     "l(f(2, 3, 5, 5))", (2, 3, 5, 5)),
    ("InceptionLazy", "L.Inception(None, 1, 2, 3, 2, 2, 2)", "l(f(2, 3, 4, 4))",
     (2, 3, 4, 4)),
    ("InceptionBN", "L.InceptionBN(3, 2, 2, 3, 2, 2, 'max', proj_pool=2)",
     "l(f(3, 3, 5, 5))", (3, 3, 5, 5)),
    ("InceptionBNAvg", "L.InceptionBN(None, 0, 2, 3, 2, 2, 'avg', stride=2)",
     "l(f(3, 3, 5, 5))", (3, 3, 5, 5)),
    ("InceptionBNMaxS2", "L.InceptionBN(3, 0, 2, 2, 2, 2, 'max', 1, 2)", "l(f(3, 3, 6, 6))",
     (3, 3, 6, 6)),
]

REF_SCRIPT = """
import os
CASES = {cases!r}
SNAP = os.environ.get('KUSARI_TEST_SNAPSHOT_DIR')
for name, ctor, call, _ in CASES:
    numpy.random.seed(0)
    RS = numpy.random.RandomState(1)
    f = lambda *s: numpy.asarray(RS.randn(*s), numpy.float32)
    try:
        l = eval(ctor)
        for p, v in l.namedparams():
            OUT[name + '/init' + p] = numpy.array('uninit') if v.array is None else v.array
        y = eval(call)
        OUT[name + '/y'] = y.array
        l.cleargrads()
        chainer.functions.sum(y * f(*y.shape)).backward()
        for p, v in l.namedparams():
            OUT[name + '/grad' + p] = v.grad
        ser = chainer.serializers.DictionarySerializer()
        ser.save(l)
        OUT[name + '/keys'] = numpy.array(sorted(ser.target))
        for k, v in ser.target.items():
            OUT[name + '/saved/' + k] = numpy.asarray(v)
        if sys.argv[1] == 'chainer' and SNAP:
            chainer.serializers.save_npz(os.path.join(SNAP, name + '.npz'), l)
    except Exception as e:
        OUT[name + '/error'] = numpy.array(type(e).__name__ + ': ' + str(e)[:300])
"""


@pytest.fixture(scope="module")
def ref_results(tmp_path_factory):
    if not os.path.exists(_chainer_ref.CHAINER_PY):
        pytest.skip("reference Chainer is not installed")
    snap = tmp_path_factory.mktemp("chainer_snapshots")
    script = REF_SCRIPT.format(cases=REF_CASES)
    old = os.environ.get("KUSARI_TEST_SNAPSHOT_DIR")
    os.environ["KUSARI_TEST_SNAPSHOT_DIR"] = str(snap)
    try:
        ref = _chainer_ref.run("chainer", script)
    finally:
        if old is None:
            del os.environ["KUSARI_TEST_SNAPSHOT_DIR"]
        else:
            os.environ["KUSARI_TEST_SNAPSHOT_DIR"] = old
    return _chainer_ref.run("kusari", script), ref, snap


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
@pytest.mark.parametrize("case", REF_CASES, ids=[c[0] for c in REF_CASES])
def test_matches_chainer(ref_results, case):
    ours, ref, snap = ref_results
    name, ctor, _, x_shape = case
    prefix = name + "/"
    ok = {k: v for k, v in ours.items() if k.startswith(prefix)}
    rk = {k: v for k, v in ref.items() if k.startswith(prefix)}
    assert prefix + "error" not in ok, str(ok.get(prefix + "error"))
    assert prefix + "error" not in rk, str(rk.get(prefix + "error"))
    assert sorted(ok) == sorted(rk)  # parameter and serialized names
    for k, r in rk.items():
        o = ok[k]
        assert o.shape == r.shape and o.dtype == r.dtype, k
        if r.dtype.kind not in "fc":
            numpy.testing.assert_array_equal(o, r, err_msg=k)
        elif "/init/" in k:  # the same draws from the same seed
            numpy.testing.assert_array_equal(o, r, err_msg=k)
        else:
            numpy.testing.assert_allclose(o, r, rtol=1e-4, atol=1e-5, err_msg=k)

    # Chainer's snapshot loads into a fresh kusari link and gives Chainer's output
    from kusari import functions as F  # noqa: F401  (the constructors may use it)

    numpy.random.seed(123)
    link = eval(ctor)
    x = numpy.zeros(x_shape, numpy.float32)
    if any(p.array is None for p in link.params()):
        link(x)  # lazy links need their shapes before loading
    serializers.load_npz(str(snap / (name + ".npz")), link)
    ser = serializers.DictionarySerializer()
    ser.save(link)
    for k, v in ser.target.items():
        numpy.testing.assert_array_equal(numpy.asarray(v), rk[prefix + "saved/" + k],
                                         err_msg=k)
