import numpy
import pytest

import kusari
from kusari import backend
from kusari.backends import cuda


def test_get_array_module_numpy():
    assert backend.get_array_module(numpy.zeros(1)) is numpy
    assert backend.get_array_module(kusari.Variable(numpy.zeros(1))) is numpy
    assert backend.get_array_module() is numpy


@pytest.mark.parametrize("spec", ["@numpy", numpy, -1, None])
def test_get_device_cpu(spec):
    dev = backend.get_device(spec)
    assert isinstance(dev, backend.CpuDevice)
    assert dev.name == "@numpy" and dev.xp is numpy
    assert dev == backend.CpuDevice()


@pytest.mark.parametrize("spec", ["@foo", "@cupy:x", "cpu0", 1.5, True])
def test_get_device_invalid(spec):
    with pytest.raises(ValueError, match="get_device"):
        backend.get_device(spec)


def test_send_nested_structures():
    dev = backend.get_device("@numpy")
    a = numpy.zeros(2)
    out = dev.send({"x": (a, [a, None])})
    assert out["x"][0] is a and out["x"][1][0] is a and out["x"][1][1] is None


def test_variable_and_link_to_device_cpu():
    import kusari.links as L

    v = kusari.Variable(numpy.ones(2, numpy.float32))
    assert v.to_device("@numpy") is v and v.device.name == "@numpy"
    link = L.Linear(2, 3)
    assert link.to_device("@numpy") is link
    assert link.device.name == "@numpy" and link.xp is numpy
    link.to_cpu()


def test_using_device_cpu():
    with backend.using_device("@numpy") as dev:
        assert dev.xp is numpy


def test_cuda_module_imports_without_cupy_or_gpu():
    assert isinstance(cuda.available, bool)
    if not cuda.available:
        with pytest.raises(RuntimeError, match="cuda12"):
            cuda.check_cuda_available()
        with pytest.raises(RuntimeError):
            backend.get_device("@cupy:0")
    assert cuda.get_device_from_id(None) is cuda.DummyDevice


def test_copyto():
    dst = numpy.zeros(3)
    backend.copyto(dst, numpy.arange(3.0))
    assert dst.tolist() == [0.0, 1.0, 2.0]


def test_dlpack_round_trip_is_zero_copy():
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    v = kusari.from_dlpack(a)
    assert isinstance(v, kusari.Variable) and numpy.shares_memory(v.array, a)
    w = kusari.from_dlpack(kusari.Variable(a))  # a Variable exports DLPack too
    assert numpy.shares_memory(w.array, a)
    assert v.__dlpack_device__()[0] == 1
    with pytest.raises(TypeError, match="DLPack"):
        kusari.from_dlpack([1, 2])


def test_get_device_integer_strings_as_chainer_scripts_pass_them():
    assert backend.get_device("-1").name == "@numpy"
    if not cuda.available:
        with pytest.raises(RuntimeError):
            backend.get_device("0")
