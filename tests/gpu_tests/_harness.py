"""Shared pieces of the GPU tests: the device under test, marks, host copies, models.

The tests in this folder compare a run on the GPU with the same run on the CPU. They are
marked ``gpu`` (skipped without CuPy and a CUDA GPU) and use ``KUSARI_TEST_DEVICE`` when it
names a GPU (``pytest --device=@cupy:1``), else ``@cupy:0``.

``KUSARI_GPU_TESTS_ON_CPU=1`` drops the mark and runs every test with ``@numpy`` standing
in for the GPU: the comparisons are then trivial, but the test code itself (and kusari's
device plumbing on the CPU side) is exercised on machines without a GPU.
"""

from __future__ import annotations

import os
from typing import Any

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import backend

ON_CPU = os.environ.get("KUSARI_GPU_TESTS_ON_CPU") == "1"
PYTESTMARK = [] if ON_CPU else [pytest.mark.gpu]


def device_spec() -> str:
    """The device the tests move things to."""
    if ON_CPU:
        return "@numpy"
    spec = os.environ.get("KUSARI_TEST_DEVICE", "")
    return spec if spec.startswith("@cupy") else "@cupy:0"


def get_device() -> backend.Device:
    return backend.get_device(device_spec())


def host(a: Any) -> Any:
    """A NumPy copy of an array (or the array of a Variable); None stays None."""
    a = getattr(a, "array", a)
    if a is None:
        return None
    return backend.CpuDevice().send(a)


def on_device(a: Any, device: backend.Device) -> bool:
    """True when the array (or Variable's array) lives on ``device``."""
    a = getattr(a, "array", a)
    return device.is_array_supported(a) and (
        backend.get_device_from_array(a) == device)


def assert_close(actual: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-6,
                 what: str = "") -> None:
    """``numpy.testing.assert_allclose`` on host copies, naming ``what`` on failure."""
    a, e = host(actual), host(expected)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
    numpy.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=what)


def assert_links_close(actual: kusari.Link, expected: kusari.Link, rtol: float = 1e-5,
                       atol: float = 1e-6, persistents: bool = True) -> None:
    """Every parameter (and persistent array) of two links of the same structure agrees."""
    exp = dict(expected.namedparams())
    for name, p in actual.namedparams():
        assert_close(p.array, exp[name].array, rtol, atol, f"param {name}")
    if persistents:
        exp_links = dict(expected.namedlinks())
        for path, link in actual.namedlinks():
            for pname in sorted(link._persistent):
                v = getattr(link, pname)
                if hasattr(v, "dtype") and getattr(v, "ndim", 0) > 0:
                    assert_close(v, getattr(exp_links[path], pname), rtol, atol,
                                 f"persistent {path}/{pname}")


def assert_deltas_close(before: kusari.Link, after_a: kusari.Link, after_b: kusari.Link,
                        rtol: float = 1e-3, rel_atol: float = 1e-3) -> None:
    """The parameter updates ``after - before`` of two runs agree, relative to their size.

    Comparing updates (not parameters) keeps the test sensitive: a missing or wrong
    update is as large as the update itself, while parameters barely move in a few steps.
    """
    b = {n: host(p.array) for n, p in before.namedparams()}
    bb = dict(after_b.namedparams())
    for name, p in after_a.namedparams():
        da = host(p.array) - b[name]
        db = host(bb[name].array) - b[name]
        scale = float(numpy.abs(db).max()) if db.size else 0.0
        numpy.testing.assert_allclose(da, db, rtol=rtol, atol=rel_atol * scale + 1e-12,
                                      err_msg=f"update of {name}")


# --------------------------------------------------------------------------------------
# small models
# --------------------------------------------------------------------------------------
class MLP(kusari.Chain):
    def __init__(self, n_in: int = 20, n_hidden: int = 32, n_out: int = 5) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(n_in, n_hidden)
            self.l2 = L.Linear(n_hidden, n_hidden)
            self.l3 = L.Linear(n_hidden, n_out)

    def forward(self, x: Any) -> Any:
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


class CNN(kusari.Chain):
    """Convolution2D + BatchNormalization + max_pooling_2d + dropout (off) + Linear."""

    def __init__(self, n_out: int = 5) -> None:
        super().__init__()
        with self.init_scope():
            self.c1 = L.Convolution2D(1, 4, 3, pad=1)
            self.bn1 = L.BatchNormalization(4)
            self.c2 = L.Convolution2D(4, 8, 3, pad=1)
            self.l1 = L.Linear(8 * 2 * 2, 16)
            self.l2 = L.Linear(16, n_out)

    def forward(self, x: Any) -> Any:
        h = F.max_pooling_2d(F.relu(self.bn1(self.c1(x))), 2)
        h = F.max_pooling_2d(F.relu(self.c2(h)), 2)
        h = F.dropout(F.relu(self.l1(h)), 0.0)
        return self.l2(h)


class LM(kusari.Chain):
    """EmbedID + LSTM + Linear over a batch of sequences; returns the summed loss."""

    def __init__(self, n_vocab: int = 30, n_units: int = 16) -> None:
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.lstm = L.LSTM(n_units, n_units)
            self.out = L.Linear(n_units, n_vocab)

    def forward(self, xs: Any, ts: Any) -> Any:
        self.lstm.reset_state()
        loss = 0
        for k in range(xs.shape[1]):
            h = self.lstm(self.embed(xs[:, k]))
            loss += F.softmax_cross_entropy(self.out(h), ts[:, k])
        kusari.report({"loss": loss}, self)
        return loss


def classification_data(kind: str, n: int = 16, seed: int = 0) -> kusari.datasets.TupleDataset:
    """A small labelled dataset for ``'mlp'``, ``'cnn'`` or ``'lstm'``."""
    rng = numpy.random.RandomState(seed)
    if kind == "mlp":
        x = rng.randn(n, 20).astype(numpy.float32)
        t = rng.randint(0, 5, n).astype(numpy.int32)
    elif kind == "cnn":
        x = rng.randn(n, 1, 8, 8).astype(numpy.float32)
        t = rng.randint(0, 5, n).astype(numpy.int32)
    elif kind == "lstm":
        x = rng.randint(0, 30, (n, 6)).astype(numpy.int32)
        t = rng.randint(0, 30, (n, 6)).astype(numpy.int32)
    else:
        raise ValueError(kind)
    return kusari.datasets.TupleDataset(x, t)


def make_model(kind: str, seed: int = 0) -> kusari.Link:
    """The model for ``kind`` with weights drawn from ``numpy.random.seed(seed)``."""
    numpy.random.seed(seed)
    if kind == "mlp":
        return L.Classifier(MLP())
    if kind == "cnn":
        return L.Classifier(CNN())
    if kind == "lstm":
        return LM()
    raise ValueError(kind)
