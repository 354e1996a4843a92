"""CupyMemoryProfileHook and CUDAProfileHook: the error without CuPy, their bookkeeping
with stand-ins for CuPy's memory hook and NVTX, and (marked ``gpu``) on a real GPU."""

import io
import types

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.backends import cuda
from kusari.function_hooks import (
    CUDAProfileHook,
    CupyMemoryProfileHook,
    TimerHook,
    _util,
    cuda_profile,
    cupy_memory_profile,
)

no_cupy = pytest.mark.skipif(cuda.available, reason="CuPy and a GPU are present")


@no_cupy
@pytest.mark.parametrize("hook", [CupyMemoryProfileHook, CUDAProfileHook])
def test_constructing_without_cupy_says_what_is_needed(hook):
    with pytest.raises(RuntimeError, match=f"{hook.__name__} needs CuPy and a CUDA GPU"):
        hook()


@no_cupy
def test_the_cumulative_memory_hook_class_is_absent_without_cupy():
    assert not hasattr(cupy_memory_profile, "CupyMemoryCumulativeHook")
    with pytest.raises(AttributeError, match="needs CuPy and a CUDA GPU"):
        cupy_memory_profile.CupyMemoryCumulativeHook  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'other'"):
        cupy_memory_profile.other  # noqa: B018


class _Counter:
    """Stands in for the CuPy memory hook: byte counters and with-registration."""

    def __init__(self):
        self.used_bytes = self.acquired_bytes = 0
        self.log = []

    def __enter__(self):
        self.log.append("enter")

    def __exit__(self, *args):
        self.log.append("exit")


class Alloc(kusari.FunctionNode):
    """Takes 100 bytes from the pool (10 new from the GPU), then runs an inner Alloc."""

    def __init__(self, counter, inner=True):
        self.counter, self.inner = counter, inner

    def forward(self, inputs):
        self.counter.used_bytes += 100
        self.counter.acquired_bytes += 10
        if self.inner:
            Alloc(self.counter, inner=False).apply(inputs)
        return inputs[0] * 2,


def test_memory_profile_records_the_increase_per_call(monkeypatch):
    counter = _Counter()
    monkeypatch.setattr(cupy_memory_profile, "_new_counter", lambda what: counter)
    hook = CupyMemoryProfileHook()
    assert counter.log == []
    with hook:
        assert counter.log == ["enter"]
        Alloc(counter).apply((numpy.ones(1, numpy.float32),))
    assert counter.log == ["enter", "exit"]
    # the inner call takes 100/10, the outer one 200/20 including it
    assert hook.call_history == [("Alloc", 100, 10, 1), ("Alloc", 200, 20, 0)]
    assert (hook.total_used_bytes(), hook.total_acquired_bytes()) == (200, 20)
    assert hook.summary() == {"Alloc": {"used_bytes": 300, "acquired_bytes": 30,
                                        "occurrence": 2}}


def _report(hook, **kwargs):
    buf = io.StringIO()
    hook.print_report(file=buf, **kwargs)
    return buf.getvalue()


def test_memory_profile_report_layout_and_units(monkeypatch):
    monkeypatch.setattr(cupy_memory_profile, "_new_counter", lambda what: _Counter())
    hook = CupyMemoryProfileHook()
    assert _report(hook) == "FunctionName  UsedBytes  AcquiredBytes  Occurrence\n"
    hook.call_history = [("LinearFunction", 3 * 1024 ** 3, 512, 0), ("ReLU", 2048, 0, 0),
                         ("ReLU", 1024, 0, 0)]
    assert _report(hook) == (  # one unit per column, for its largest value
        "  FunctionName  UsedBytes  AcquiredBytes  Occurrence\n"
        "LinearFunction     3.00GB        512.00B           1\n"
        "          ReLU     0.00GB          0.00B           2\n")
    assert _report(hook, unit="auto_foreach").splitlines()[1:] == [
        "LinearFunction     3.00GB        512.00B           1",
        "          ReLU     3.00KB          0.00B           2"]
    assert _report(hook, unit="KB").splitlines()[2] == (
        "          ReLU        3.00KB         0.00KB           2")
    with pytest.raises(ValueError, match="unknown unit 'kB'"):
        hook.print_report(unit="kB")
    assert cupy_memory_profile._choose_unit(1024 ** 8 * 5) == (1024.0 ** 7, "ZB")


def test_cuda_profile_pushes_and_pops_a_range_per_call(monkeypatch):
    log = []
    nvtx = types.SimpleNamespace(RangePush=lambda msg: log.append(msg),
                                 RangePop=lambda: log.append("pop"))
    monkeypatch.setattr(cuda_profile, "_nvtx_module", lambda what: nvtx)
    x = kusari.Variable(numpy.array([1.0, -1.0], numpy.float32))
    with CUDAProfileHook():
        F.sum(F.exp(x)).backward()
    # ranges are named by the label, as in Chainer; exp's backward applies a Mul inside
    assert log == ["exp.forward", "pop", "Sum.forward", "pop", "Sum.backward", "pop",
                   "exp.backward", "Mul.forward", "pop", "pop"]


def test_cuda_profile_needs_nvtx(monkeypatch):
    fake = types.SimpleNamespace(cuda=types.SimpleNamespace(
        nvtx=types.SimpleNamespace(available=False)))
    monkeypatch.setattr(_util, "require_cupy", lambda what: fake)
    with pytest.raises(RuntimeError, match="CUDAProfileHook needs NVTX"):
        CUDAProfileHook()


# -- on a real GPU -------------------------------------------------------------------------
@pytest.mark.gpu
def test_gpu_timer_memory_and_nvtx_hooks_on_cupy_arrays():
    cp = cuda.cupy
    x = kusari.Variable(cp.ones((512, 512), cp.float32))
    with TimerHook() as timer, CupyMemoryProfileHook() as memory, CUDAProfileHook():
        F.sum(F.relu(x) * 2).backward()
    names = [name for name, _ in timer.call_history]
    assert names[:2] == ["ReLU", names[1]] and names.count("ReLU") == 2
    assert all(t >= 0 for _, t in timer.call_history)
    assert timer.total_time() > 0
    summary = memory.summary()
    assert summary["ReLU"]["occurrence"] == 2
    assert summary["ReLU"]["used_bytes"] >= 512 * 512 * 4  # ReLU's output at least
    assert memory.total_used_bytes() >= summary["ReLU"]["used_bytes"]
    assert _report(memory).startswith("FunctionName")
