"""TimerHook: what it records, nesting, and its report."""

import io
import types

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import function_hook
from kusari.function_hooks import TimerHook, timer
from tests.function_hooks_tests._graphs import Outer, fake_node, step_clock


def test_records_forward_and_backward_of_each_function():
    x = kusari.Variable(numpy.array([-1.0, 2.0], numpy.float32))
    with TimerHook() as hook:
        F.sum(F.relu(x)).backward()
    assert [name for name, _ in hook.call_history] == ["ReLU", "Sum", "Sum", "ReLU"]
    assert all(isinstance(t, float) and t >= 0 for _, t in hook.call_history)
    summary = hook.summary()
    assert list(summary) == ["ReLU", "Sum"]
    assert [r["occurrence"] for r in summary.values()] == [2, 2]
    relu_times = [t for name, t in hook.call_history if name == "ReLU"]
    assert summary["ReLU"]["elapsed_time"] == pytest.approx(sum(relu_times))
    # nothing nested here: the total is every call's time
    assert hook.total_time() == pytest.approx(sum(t for _, t in hook.call_history))
    assert function_hook._registered[0] == 0
    F.relu(x)  # outside the block: not recorded
    assert len(hook.call_history) == 4


def test_reports_the_implementing_class_name_not_the_label():
    with TimerHook() as hook:
        F.exp(numpy.zeros(2, numpy.float32))
    assert hook.call_history[0][0] == "Exp"  # Exp's label is 'exp', as in Chainer


def test_nested_calls_are_recorded_but_total_time_counts_the_outer_call_once(monkeypatch):
    monkeypatch.setattr(timer, "_clock", step_clock())
    x = kusari.Variable(numpy.array([1.0, 2.0], numpy.float32))
    with TimerHook() as hook:
        y, = Outer().apply((x,))
        y.grad = numpy.ones(2, numpy.float32)
        y.backward()
    # clock: Outer starts at 0, ReLU runs 1..2, Outer stops at 3; backward 4..7 alike
    assert hook.call_history == [("ReLU", 1.0), ("Outer", 3.0), ("ReLU", 1.0),
                                 ("Outer", 3.0)]
    assert hook.total_time() == 6.0
    assert hook.summary() == {"ReLU": {"elapsed_time": 2.0, "occurrence": 2},
                              "Outer": {"elapsed_time": 6.0, "occurrence": 2}}
    numpy.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_local_hook_times_its_node_only(monkeypatch):
    monkeypatch.setattr(timer, "_clock", step_clock(0.5))
    node = Outer()
    hook = TimerHook()
    node.add_hook(hook)
    node.apply((numpy.ones(1, numpy.float32),))
    node.delete_hook("TimerHook")
    assert hook.call_history == [("Outer", 0.5)]  # the ReLU inside is not hooked
    assert hook.total_time() == 0.5


def _report(hook, **kwargs):
    buf = io.StringIO()
    hook.print_report(file=buf, **kwargs)
    return buf.getvalue()


def test_print_report_layout_and_units():
    hook = TimerHook()
    hook.call_history = [("ReLU", 0.0012), ("LinearFunction", 1.5), ("ReLU", 0.0008)]
    assert _report(hook) == (
        "  FunctionName  ElapsedTime  Occurrence\n"
        "          ReLU      0.00sec           2\n"
        "LinearFunction      1.50sec           1\n")
    assert _report(hook, unit="auto_foreach") == (
        "  FunctionName  ElapsedTime  Occurrence\n"
        "          ReLU       2.00ms           2\n"
        "LinearFunction      1.50sec           1\n")
    assert _report(hook, unit="us").splitlines()[1:] == [
        "          ReLU     2000.00us           2",
        "LinearFunction  1500000.00us           1"]
    hook.call_history = [("Sum", 3e-7)]
    assert _report(hook).splitlines()[1] == "         Sum     300.00ns           1"
    assert _report(hook, unit="ms").splitlines()[1] == "         Sum       0.00ms           1"
    with pytest.raises(ValueError, match="unknown unit 'min'"):
        hook.print_report(unit="min")


def test_print_report_of_nothing_is_the_header_and_defaults_to_stdout(capsys):
    TimerHook().print_report()
    assert capsys.readouterr().out == "FunctionName  ElapsedTime  Occurrence\n"


class _FakeEvent:
    def __init__(self, log):
        self.log = log
        log.append(("new", self))

    def record(self):
        self.log.append(("record", self))

    def synchronize(self):
        self.log.append(("synchronize", self))


def test_cupy_arrays_are_timed_with_cuda_events(monkeypatch):
    log = []
    fake_cupy = types.SimpleNamespace(cuda=types.SimpleNamespace(
        Event=lambda: _FakeEvent(log),
        get_elapsed_time=lambda start, stop: log.append(("elapsed", start, stop)) or 250.0))
    seen = []

    def get_array_module(*arrays):
        seen.append(arrays)
        return fake_cupy

    monkeypatch.setattr(timer, "backend", types.SimpleNamespace(
        get_array_module=get_array_module))
    monkeypatch.setattr(timer, "_clock", lambda: pytest.fail("the CPU clock was used"))
    hook = TimerHook()
    conv = fake_node("Conv")
    a, g = object(), object()
    hook.backward_preprocess(conv, (a, None), (g,))
    hook.backward_postprocess(conv, (a, None), (g,))
    assert seen == [(a, None, g)]  # the inputs and the output gradients decide
    start, stop = log[0][1], log[2][1]
    assert log == [("new", start), ("record", start), ("new", stop), ("record", stop),
                   ("synchronize", stop), ("elapsed", start, stop)]
    assert hook.call_history == [("Conv", 0.25)]  # milliseconds -> seconds
    assert hook.total_time() == 0.25
