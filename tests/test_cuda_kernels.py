"""The CuPy kernels' C++ bodies, compiled for the CPU, against the NumPy code paths.

``tests/_cuda_emulator.py`` stands in for ``cupy.ElementwiseKernel``: each test runs a
GPU code path on NumPy arrays with ``kusari.backends.cuda.elementwise`` patched, and
compares it with the CPU path. This checks the kernels' arithmetic and indexing without a
GPU; a real GPU run (``tests/gpu_tests``) is still what verifies them on CuPy.
"""

from __future__ import annotations

import importlib

import numpy
import pytest

import kusari
import kusari.links as L
import kusari.optimizers as O
from kusari.backends import cuda
from tests import _cuda_emulator as emu

pytestmark = pytest.mark.skipif(emu.compiler is None, reason="no C++ compiler")


@pytest.fixture
def emulated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cuda, "elementwise", emu.elementwise)


_OPTIMIZERS = [
    (O.SGD, {"lr": 0.1}),
    (O.MomentumSGD, {"lr": 0.1, "momentum": 0.8}),
    (O.CorrectedMomentumSGD, {"lr": 0.1, "momentum": 0.8}),
    (O.NesterovAG, {"lr": 0.1, "momentum": 0.8}),
    (O.AdaGrad, {"lr": 0.1}),
    (O.AdaDelta, {}),
    (O.RMSprop, {"lr": 0.05}),
    (O.RMSprop, {"lr": 0.05, "eps_inside_sqrt": True}),
    (O.RMSpropGraves, {"lr": 0.05}),
    (O.SMORMS3, {"lr": 0.05}),
    (O.MSVAG, {"lr": 0.05}),
    (O.Adam, {"alpha": 0.05}),
    (O.Adam, {"alpha": 0.05, "weight_decay_rate": 0.01}),
    (O.AdamW, {"alpha": 0.05, "weight_decay_rate": 0.01}),
    (O.AMSGrad, {"alpha": 0.05}),
    (O.AdaBound, {"alpha": 0.05}),
    (O.AMSBound, {"alpha": 0.05}),
]


@pytest.mark.parametrize("cls,kwargs", _OPTIMIZERS,
                         ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(_OPTIMIZERS)])
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_optimizer_kernel_matches_cpu_rule(emulated: None, cls: type, kwargs: dict,
                                           dtype: type) -> None:
    rng = numpy.random.RandomState(0)
    w = rng.randn(5, 7).astype(dtype)
    links = [L.Linear(7, 5, initialW=w.copy(), initial_bias=0.5) for _ in range(2)]
    for link in links:
        link.to_device("@numpy")
        for p in link.params():
            p.array = p.array.astype(dtype)
    opts = [cls(**kwargs).setup(link) for link in links]
    for step in range(4):
        grads = [rng.randn(*p.shape).astype(dtype) for p in links[0].params()]
        for link in links:
            for p, g in zip(link.params(), grads):
                p.grad = g.copy()
        opts[0].update()
        for p in links[1].params():
            rule = p.update_rule
            rule.update_core_cpu = rule.update_core_gpu  # the kernel on NumPy arrays
        opts[1].update()
        tol = 1e-5 if dtype == numpy.float32 else 1e-12
        for (name, p0), p1 in zip(links[0].namedparams(), links[1].params()):
            numpy.testing.assert_allclose(p1.array, p0.array, rtol=tol, atol=tol,
                                          err_msg=f"{cls.__name__} {name} step {step}")
            for key, s0 in p0.update_rule.state.items():
                numpy.testing.assert_allclose(p1.update_rule.state[key], s0, rtol=tol,
                                              atol=tol, err_msg=f"state {key}")


def test_emulator_broadcasts_and_binds_types() -> None:
    k = emu.elementwise("T x, T s", "T y", "y = x * s + (x > 0)", "probe")
    y = k(numpy.array([[1.0], [-2.0]]), numpy.float64(3))
    assert y.dtype == numpy.float64 and y.tolist() == [[4.0], [-6.0]]
    with pytest.raises(RuntimeError, match="does not compile"):
        emu.elementwise("T x", "T y", "y = undefined_name(x)", "bad")(numpy.ones(2))
    assert kusari.backends.cuda is cuda


class _DeviceModule:
    """NumPy under another identity, so ``xp is not numpy`` takes the GPU branch."""

    def __getattr__(self, name: str) -> object:
        return getattr(numpy, name)


def test_sigmoid_and_leaky_relu_kernels(emulated: None) -> None:
    from kusari.functions.activation.leaky_relu import LeakyReLU
    from kusari.functions.activation.sigmoid import Sigmoid

    x = numpy.random.RandomState(1).randn(4, 5) * 8
    for dtype in (numpy.float32, numpy.float64):
        xd = x.astype(dtype)
        # the tanh form is exact to a few float32 ulps of 1, on both paths
        numpy.testing.assert_allclose(Sigmoid().forward_gpu((xd,))[0],
                                      Sigmoid().forward_cpu((xd,))[0], rtol=1e-6, atol=1e-7)
        y = LeakyReLU(0.3).forward_gpu((xd,))[0]
        assert y.dtype == dtype
        numpy.testing.assert_array_equal(y, LeakyReLU(0.3).forward_cpu((xd,))[0])


def test_dropout_kernel(emulated: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from kusari.functions.noise.dropout import Dropout

    rng = numpy.random.RandomState(2)
    fake = types.SimpleNamespace(random=types.SimpleNamespace(
        rand=lambda *shape, dtype: rng.rand(*shape).astype(dtype)))
    monkeypatch.setattr(cuda, "cupy", fake, raising=False)
    x = numpy.ones((200, 50), numpy.float32)
    node = Dropout(0.25)
    y, = node.forward_gpu((x,))
    assert set(numpy.unique(node.mask).tolist()) == {0.0, numpy.float32(1 / 0.75)}
    numpy.testing.assert_array_equal(y, x * node.mask)
    assert abs((node.mask == 0).mean() - 0.25) < 0.02


def test_batch_normalization_apply_kernel(emulated: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    bn = importlib.import_module("kusari.functions.normalization.batch_normalization")

    rng = numpy.random.RandomState(3)
    x = rng.randn(6, 3, 4).astype(numpy.float32)
    scale, shift = rng.rand(3), rng.randn(3)
    es = (1, 3, 1)
    expect = bn._apply(x, scale, shift, es)
    monkeypatch.setattr(bn, "get_array_module", lambda *a: _DeviceModule())
    got = bn._apply(x, scale, shift, es)
    assert got.dtype == numpy.float32
    numpy.testing.assert_allclose(got, expect, rtol=1e-6)


@pytest.mark.parametrize("batch", [5, 3])
@pytest.mark.parametrize("grads", ["both", "no_gc", "no_gh"])
def test_lstm_kernels(emulated: None, monkeypatch: pytest.MonkeyPatch, batch: int,
                      grads: str) -> None:
    lstm = importlib.import_module("kusari.functions.activation.lstm")

    rng = numpy.random.RandomState(4)
    c_prev = rng.randn(5, 3)
    x = rng.randn(batch, 12)
    monkeypatch.setattr(cuda, "cupy", numpy, raising=False)
    c0, h0 = lstm.LSTM().forward_cpu((c_prev, x))
    c1, h1 = lstm.LSTM().forward_gpu((c_prev, x))
    numpy.testing.assert_allclose(c1, c0, rtol=1e-12)
    numpy.testing.assert_allclose(h1, h0, rtol=1e-12)
    gc = None if grads == "no_gc" else rng.randn(5, 3)
    gh = None if grads == "no_gh" else rng.randn(batch, 3)
    expect = lstm._backward_arrays(c_prev, x, c0, gc, gh)
    monkeypatch.setattr(lstm, "get_array_module", lambda *a: _DeviceModule())
    got = lstm._backward_arrays(c_prev, x, c0, gc, gh)
    for g, e in zip(got, expect):
        numpy.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


_POOLS = [((2, 2), (2, 2), (0, 0), False, (6, 8)),
          ((3, 3), (2, 2), (1, 1), True, (7, 6)),
          ((3, 3), (1, 1), (1, 1), False, (5, 5)),
          ((2, 3), (1, 2), (0, 1), True, (5, 7)),
          ((3, 2), (3, 3), (0, 0), True, (7, 8))]


@pytest.mark.parametrize("ksize,stride,pad,cover_all,insize", _POOLS)
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_max_pooling_kernels(emulated: None, ksize: tuple, stride: tuple, pad: tuple,
                             cover_all: bool, insize: tuple, dtype: type) -> None:
    from kusari.functions.pooling import _pooling_cuda
    from kusari.functions.pooling import _pooling_util as pu

    rng = numpy.random.RandomState(5)
    x = numpy.maximum(rng.randn(2, 3, *insize), 0).astype(dtype)  # ties at zero
    x[0, 0, 1, 1] = numpy.nan
    x[1, 2, 0, 0] = numpy.nan
    out = pu.outsize(insize, ksize, stride, pad, cover_all)
    y0, i0 = pu.max_forward(x, ksize, stride, pad, out, True)
    y1, i1 = _pooling_cuda.max_forward(x, ksize, stride, pad, out, i0.dtype)
    numpy.testing.assert_array_equal(y1, y0)
    numpy.testing.assert_array_equal(i1, i0)
    gy = rng.randn(*y0.shape).astype(dtype)
    numpy.testing.assert_allclose(_pooling_cuda.max_scatter(gy, i0, ksize, stride, pad, insize),
                                  pu.max_scatter(gy, i0, ksize, stride, pad, insize),
                                  rtol=1e-6, atol=1e-6)
    xg = rng.randn(*x.shape).astype(dtype)
    numpy.testing.assert_array_equal(_pooling_cuda.max_gather(xg, i0, ksize, stride, pad),
                                     pu.max_gather(xg, i0, ksize, stride, pad))


_CONVS = [((3, 3), (1, 1), (1, 1), (1, 1), False, (6, 7)),
          ((3, 3), (2, 2), (1, 1), (1, 1), True, (7, 6)),
          ((2, 3), (2, 1), (0, 2), (1, 1), False, (5, 6)),
          ((3, 3), (1, 1), (2, 2), (2, 2), False, (6, 6)),
          ((1, 1), (1, 1), (0, 0), (1, 1), False, (4, 5))]


@pytest.mark.parametrize("ksize,stride,pad,dilate,cover_all,insize", _CONVS)
def test_im2col_col2im_kernels(emulated: None, ksize: tuple, stride: tuple, pad: tuple,
                               dilate: tuple, cover_all: bool, insize: tuple) -> None:
    from kusari.functions.connection import _conv_cuda
    from kusari.functions.connection import _conv_util as cu

    rng = numpy.random.RandomState(6)
    n, c = 3, 4
    x = rng.randn(n, c, *insize)
    out = tuple(cu.conv_outsize(insize[i], ksize[i], stride[i], pad[i], cover_all, dilate[i])
                for i in range(2))
    ref = cu.im2col(x, ksize, stride, pad, dilate, out)  # (N, C, kh, kw, OH, OW)
    ref = ref.transpose(1, 2, 3, 0, 4, 5).reshape(c * ksize[0] * ksize[1], -1)
    numpy.testing.assert_array_equal(_conv_cuda.im2col_rows(x, ksize, stride, pad, dilate, out),
                                     ref)
    g = rng.randn(*ref.shape)
    g6 = g.reshape((c,) + ksize + (n,) + out).transpose(3, 0, 1, 2, 4, 5)
    numpy.testing.assert_allclose(
        _conv_cuda.col2im_rows(g, n, c, insize, ksize, stride, pad, dilate, out),
        cu.col2im(g6, stride, pad, insize, dilate), rtol=1e-12, atol=1e-12)


def test_convolution_gpu_path_matches_cpu(emulated: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from kusari.functions.connection import _conv_util as cu

    rng = numpy.random.RandomState(7)
    x = rng.randn(4, 8, 7, 9)
    W = rng.randn(5, 8, 3, 3)
    b = rng.randn(5)
    gy = rng.randn(4, 5, 4, 5)
    args = ((2, 2), (1, 2), (1, 1), 1)
    expect = (cu.conv_forward(x, W, *args, (4, 5), b),
              cu.conv_grad_w(x, gy, (3, 3), *args),
              cu.conv_grad_x(gy, W, *args, (7, 9)))
    monkeypatch.setattr(cu, "get_array_module", lambda *a: _DeviceModule())
    got = (cu.conv_forward(x, W, *args, (4, 5), b),
           cu.conv_grad_w(x, gy, (3, 3), *args),
           cu.conv_grad_x(gy, W, *args, (7, 9)))
    for g, e in zip(got, expect):
        numpy.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-10)
