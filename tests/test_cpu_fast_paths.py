"""The CPU fast paths taken for speed give the plain NumPy results, and their caches
account for what they hold."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import _malloc, optimizer
from kusari.functions import _cpu_kernels
from kusari.functions.connection import _conv_util as cu
from kusari.functions.loss import _count


@pytest.mark.parametrize("dtype", [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize("shape", [(), (3, 5), (64, 100), (64, 32, 9, 9)])
def test_relu_kernels_match_numpy(dtype: type, shape: tuple) -> None:
    # below _MIN_SIZE, one chunk, several chunks; contiguous and transposed
    rng = numpy.random.RandomState(0)
    x = numpy.asarray(rng.randn(*shape)).astype(dtype)
    x.flat[0] = numpy.nan
    for a in (x, x.T):
        y = _cpu_kernels.relu(a)
        assert type(y) is numpy.ndarray and y.dtype == dtype and y.shape == a.shape
        numpy.testing.assert_array_equal(y, numpy.maximum(a, 0))
    y = _cpu_kernels.relu(x)
    g = numpy.asarray(rng.randn(*shape)).astype(dtype)
    gx = _cpu_kernels.relu_grad(g, y)
    assert type(gx) is numpy.ndarray and gx.dtype == dtype
    numpy.testing.assert_array_equal(gx, g * (y > 0))


def test_relu_zero_chunk_is_read_only() -> None:
    for z in _cpu_kernels._zeros.values():
        assert not z.flags.writeable and not z.any() and z.size == _cpu_kernels.CHUNK
    # sizes around the chunk boundary
    for n in (_cpu_kernels.CHUNK - 1, _cpu_kernels.CHUNK, 3 * _cpu_kernels.CHUNK + 5):
        x = numpy.random.RandomState(n).randn(n).astype(numpy.float32)
        numpy.testing.assert_array_equal(_cpu_kernels.relu(x), numpy.maximum(x, 0))


def test_relu_non_contiguous_input() -> None:
    x = numpy.random.RandomState(1).randn(128, 128).astype(numpy.float32).T
    numpy.testing.assert_array_equal(F.relu(x).array, numpy.maximum(x, 0))


@pytest.mark.parametrize("dtype", [numpy.float16, numpy.float32, numpy.float64])
def test_channel_sum_matches_numpy(dtype: type) -> None:
    g = numpy.random.RandomState(2).randn(4, 3, 5, 6).astype(dtype)
    expect = g.astype(numpy.float64).sum(axis=(0, 2, 3))
    tol = 1e-2 if dtype == numpy.float16 else 1e-5
    got = cu.channel_sum(g)
    assert got.dtype == dtype and got.shape == (3,)
    numpy.testing.assert_allclose(got, expect, rtol=tol, atol=tol)
    numpy.testing.assert_allclose(cu.channel_sum(g[:, :, ::2]), g[:, :, ::2].sum((0, 2, 3)),
                                  rtol=tol, atol=tol)
    assert cu.channel_sum(numpy.zeros((2, 3, 0, 4), dtype)).tolist() == [0, 0, 0]


def test_conv_columns_kept_for_weight_gradient_and_released() -> None:
    rng = numpy.random.RandomState(3)
    conv = L.Convolution2D(16, 8, 3, pad=1)
    x = rng.randn(4, 16, 7, 7).astype(numpy.float32)
    before = cu.ColumnCache._used
    y = conv(x)
    held = cu.ColumnCache._used - before
    assert held == 16 * 9 * 4 * 49 * 4
    F.sum(y * y).backward()
    assert cu.ColumnCache._used == before
    gw_cached = conv.W.grad.copy()
    # the same gradient without the cache
    conv.cleargrads()
    old = cu.ColumnCache.MAX_BYTES
    cu.ColumnCache.MAX_BYTES = 0
    try:
        F.sum(conv(x) * conv(x)).backward()
    finally:
        cu.ColumnCache.MAX_BYTES = old
    numpy.testing.assert_allclose(conv.W.grad, gw_cached, rtol=1e-5, atol=1e-4)
    # a graph dropped without backward gives its columns back
    y = conv(x)
    assert cu.ColumnCache._used > before
    del y
    gc.collect()
    assert cu.ColumnCache._used == before


def test_conv_columns_not_kept_without_weight_gradient() -> None:
    conv = L.Convolution2D(16, 8, 3, pad=1)
    x = numpy.ones((4, 16, 7, 7), numpy.float32)
    before = cu.ColumnCache._used
    with kusari.no_backprop_mode():
        conv(x)
    W = kusari.Variable(conv.W.array, requires_grad=False)
    xv = kusari.Variable(x)
    y = F.convolution_2d(xv, W, pad=1)  # only x's gradient is needed
    assert cu.ColumnCache._used == before
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert xv.grad.shape == x.shape


def test_valid_count_and_divide() -> None:
    mask = numpy.array([True, False, True, True])
    assert _count.valid_count(numpy, mask, numpy.float32) == 3
    assert _count.valid_count(numpy, ~numpy.ones(3, bool), numpy.float32) == 1
    assert _count.divide(numpy.float32(6), 3, numpy.dtype(numpy.float32)) == 2
    assert _count.reciprocal(4) == 0.25


def test_softmax_cross_entropy_ignores_labels_in_the_mean() -> None:
    x = numpy.random.RandomState(4).randn(5, 3).astype(numpy.float32)
    t = numpy.array([0, -1, 2, -1, 1], numpy.int32)
    keep = t != -1
    logp = x - numpy.log(numpy.exp(x).sum(1, keepdims=True))
    expect = -logp[keep][numpy.arange(3), t[keep]].mean()
    numpy.testing.assert_allclose(F.softmax_cross_entropy(x, t).array, expect, rtol=1e-6)


def test_hyperparameter_lookup_walks_parents() -> None:
    root = optimizer.Hyperparameter()
    root.lr = 0.5
    mid = optimizer.Hyperparameter(root)
    leaf = optimizer.Hyperparameter(mid)
    assert leaf.lr == 0.5
    mid.lr = 0.25
    assert leaf.lr == 0.25
    with pytest.raises(AttributeError, match="'momentum' is not set"):
        leaf.momentum  # noqa: B018


def test_param_order_follows_changes() -> None:
    link = kusari.Link()
    with link.init_scope():
        link.b = kusari.Parameter(numpy.zeros(1, numpy.float32))
        link.a = kusari.Parameter(numpy.zeros(2, numpy.float32))
    assert [p.name for p in link.params()] == ["a", "b"]
    with link.init_scope():
        link.c = kusari.Parameter(numpy.zeros(3, numpy.float32))
    del link.a
    assert [p.name for p in link.params()] == ["b", "c"]
    link.add_persistent("d", 1)
    assert [p.name for p in link.params()] == ["b", "c"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_malloc_tuning_respects_the_switch() -> None:
    assert isinstance(_malloc.tune(), bool)
    code = "import kusari, kusari._malloc as m; print(m.tuned)"
    env = dict(os.environ, KUSARI_MALLOC_TUNING="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "False"
    env = dict(os.environ, MALLOC_TRIM_THRESHOLD_="1000000")
    env.pop("KUSARI_MALLOC_TUNING", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "False"


def test_valid_count_stays_an_array_off_numpy() -> None:
    # the CuPy branch, with NumPy standing in for the device module: no host int
    class DeviceModule:
        maximum = staticmethod(numpy.maximum)

    mask = numpy.array([True, False, True])
    count = _count.valid_count(DeviceModule, mask, numpy.float32)
    assert not isinstance(count, int) and numpy.ndim(count) == 0 and count.dtype == "f"
    assert float(_count.divide(numpy.float32(3), count, numpy.dtype("f"))) == 1.5
    assert float(_count.reciprocal(count)) == 0.5
    empty = _count.valid_count(DeviceModule, numpy.zeros(2, bool), numpy.float32)
    assert float(empty) == 1.0


def _pool_after_relu_grad(x: numpy.ndarray, extra: bool) -> tuple:
    xv = kusari.Variable(x)
    h = F.relu(xv)
    y = F.max_pooling_2d(h, 2)
    loss = F.sum(y * y) + (F.sum(h) if extra else 0)
    loss.backward(retain_grad=True)
    return xv.grad, h.grad


@pytest.mark.parametrize("extra", [False, True])
def test_max_pooling_after_relu_skips_the_relu_mask(extra: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rng = numpy.random.RandomState(8)
    x = rng.randn(2, 3, 6, 6)
    x[0, 0, :2, :2] = -1.0  # an all-negative window: its pooled output is 0
    x[1, 2, 2, 3] = numpy.nan
    # the reference: an identity between ReLU and pooling hides the ReLU from the pooling
    xv = kusari.Variable(x)
    h = F.relu(xv)
    y = F.max_pooling_2d(F.identity(h), 2)
    (F.sum(y * y) + (F.sum(h) if extra else 0)).backward()
    expect = xv.grad
    calls = []
    orig = _cpu_kernels.relu_grad
    monkeypatch.setattr(_cpu_kernels, "relu_grad", lambda g, y: calls.append(1) or orig(g, y))
    gx, gh = _pool_after_relu_grad(x, extra)
    numpy.testing.assert_array_equal(gx, expect)
    assert len(calls) == (1 if extra else 0)  # two consumers: the sum has no mark
    assert gh is not None and gh.shape == x.shape


def test_max_pooling_after_relu_double_backprop() -> None:
    x0 = numpy.random.RandomState(9).randn(1, 2, 4, 4)
    grads = []
    for hide in (False, True):  # an identity hides the ReLU from the pooling
        x = kusari.Variable(x0.copy())
        h = F.relu(x)
        y = F.max_pooling_2d(F.identity(h) if hide else h, 2)
        gx, = kusari.grad([F.sum(y * y * y)], [x], enable_double_backprop=True)
        F.sum(gx * gx).backward()
        grads.append((gx.array, x.grad))
    for a, b in zip(*grads):
        numpy.testing.assert_allclose(a, b, rtol=1e-12)
    assert numpy.abs(grads[0][1]).sum() > 0
