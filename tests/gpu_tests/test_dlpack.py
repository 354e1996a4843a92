"""Zero-copy exchange with PyTorch through DLPack (CUDA tensors on the GPU)."""

from __future__ import annotations

import numpy
import pytest

import kusari
import kusari.functions as F
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK

torch = pytest.importorskip("torch")


def _torch_device() -> str:
    if h.ON_CPU:
        return "cpu"
    return "cuda:" + h.device_spec().split(":")[1]


def test_torch_to_kusari_shares_memory(device):
    t = torch.arange(12, dtype=torch.float32, device=_torch_device()).reshape(3, 4)
    a = device.xp.from_dlpack(t)
    assert h.on_device(a, device)
    assert a.shape == (3, 4) and a.dtype == numpy.float32
    t[0, 0] = 100.0
    if not h.ON_CPU:
        torch.cuda.synchronize()
    assert float(a[0, 0]) == 100.0  # the same memory

    x = kusari.Variable(a)
    y = F.sum(F.relu(x) * 2)
    y.backward()
    g = torch.utils.dlpack.from_dlpack(x.grad)
    assert g.device.type == t.device.type
    assert torch.equal(g.cpu(), torch.full((3, 4), 2.0))


def test_kusari_to_torch(device):
    x = kusari.Variable(device.send(numpy.arange(6, dtype=numpy.float32).reshape(2, 3)))
    t = torch.from_dlpack(x)  # Variable.__dlpack__
    assert t.device.type == ("cpu" if h.ON_CPU else "cuda")
    numpy.testing.assert_array_equal(t.cpu().numpy(), h.host(x.array))
    t2 = torch.utils.dlpack.from_dlpack(x.array)
    t2 += 1
    if not h.ON_CPU:
        torch.cuda.synchronize()
    numpy.testing.assert_array_equal(h.host(x.array),
                                     numpy.arange(1, 7, dtype=numpy.float32).reshape(2, 3))


def test_round_trip_through_a_torch_op(device):
    a = device.send(numpy.random.RandomState(0).randn(4, 5).astype(numpy.float32))
    t = torch.from_dlpack(a)
    b = device.xp.from_dlpack(torch.tanh(t))
    numpy.testing.assert_allclose(h.host(b), numpy.tanh(h.host(a)), rtol=1e-6, atol=1e-6)
