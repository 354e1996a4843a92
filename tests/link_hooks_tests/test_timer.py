"""TimerHook: names, occurrences, nesting, report layout, and the CUDA-event path."""

import io
import sys
import time
import types

import numpy
import pytest

import kusari
import kusari.links as L
from kusari import link_hook
from kusari.link_hooks import TimerHook


class MLP(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(4, 2)

    def forward(self, x):
        return self.l2(kusari.functions.relu(self.l1(x)))


@pytest.fixture
def clock(monkeypatch):
    """``time.perf_counter`` returning 0, step, 2 * step, ... (one tick per call)."""
    state = {"t": 0.0, "step": 1.0}

    def fake():
        t = state["t"]
        state["t"] += state["step"]
        return t

    monkeypatch.setattr(time, "perf_counter", fake)
    return state


def _x():
    return numpy.ones((2, 3), numpy.float32)


def test_names_occurrences_and_order():
    model = MLP()
    with TimerHook() as hook:
        for _ in range(3):
            model(_x())
    assert [name for name, _ in hook.call_history] == ["Linear", "Linear", "MLP"] * 3
    assert all(t >= 0 for _, t in hook.call_history)
    summary = hook.summary()
    assert list(summary) == ["Linear", "MLP"]
    assert summary["Linear"]["occurrence"] == 6
    assert summary["MLP"]["occurrence"] == 3
    assert "TimerHook" not in link_hook.get_link_hooks()
    model(_x())  # outside the block: not timed
    assert len(hook.call_history) == 9


def test_nested_calls_are_counted_once_in_total_time(clock):
    model = MLP()
    with TimerHook() as hook:
        model(_x())  # MLP 0..5, l1 1..2, l2 3..4
        model(_x())
    assert hook.call_history == [("Linear", 1.0), ("Linear", 1.0), ("MLP", 5.0)] * 2
    assert hook.total_time() == 10.0  # the outermost calls only
    summary = hook.summary()
    assert summary["Linear"] == {"elapsed_time": 4.0, "occurrence": 4}
    assert summary["MLP"] == {"elapsed_time": 10.0, "occurrence": 2}


def test_report_layout(clock):
    model = MLP()
    with TimerHook() as hook:
        model(_x())
    out = io.StringIO()
    hook.print_report(file=out)
    assert out.getvalue() == ("LinkName  ElapsedTime  Occurrence\n"
                              "  Linear      2.00sec           2\n"
                              "     MLP      5.00sec           1\n")
    out = io.StringIO()
    hook.print_report(unit="ms", file=out)
    assert out.getvalue().splitlines()[1:] == ["  Linear    2000.00ms           2",
                                               "     MLP    5000.00ms           1"]


def test_report_units_auto_and_auto_foreach(clock):
    clock["step"] = 2e-4
    model = MLP()
    with TimerHook() as hook:
        model(_x())  # Linear 0.4 ms in all, MLP 1 ms
    out = io.StringIO()
    hook.print_report(file=out)  # one unit, from the largest time
    assert out.getvalue().splitlines() == ["LinkName  ElapsedTime  Occurrence",
                                           "  Linear       0.40ms           2",
                                           "     MLP       1.00ms           1"]
    out = io.StringIO()
    hook.print_report(unit="auto_foreach", file=out)
    assert out.getvalue().splitlines()[1:] == ["  Linear     400.00us           2",
                                               "     MLP       1.00ms           1"]
    with pytest.raises(ValueError, match="unknown unit"):
        hook.print_report(unit="hours", file=io.StringIO())


def test_empty_report_prints_the_header():
    out = io.StringIO()
    TimerHook().print_report(file=out)
    assert out.getvalue() == "LinkName  ElapsedTime  Occurrence\n"


def test_added_to_one_link_times_that_link_only(clock):
    model = MLP()
    hook = TimerHook()
    model.l2.add_hook(hook)
    model(_x())
    assert hook.call_history == [("Linear", 1.0)]
    assert hook.total_time() == 1.0
    model.l2.delete_hook("TimerHook")
    model(_x())
    assert len(hook.call_history) == 1


def _fake_cupy(log):
    class ndarray:  # noqa: N801 (CuPy's name)
        shape = (1,)

    class Event:
        def __init__(self):
            self.id = len([e for e in log if e[0] == "new"])
            log.append(("new", self.id))

        def record(self, stream=None):
            log.append(("record", self.id))

        def synchronize(self):
            log.append(("synchronize", self.id))

    def get_elapsed_time(start, stop):
        log.append(("elapsed", start.id, stop.id))
        return 250.0  # milliseconds

    cupy = types.ModuleType("cupy")
    cupy.ndarray = ndarray
    cupy.cuda = types.SimpleNamespace(Event=Event, get_elapsed_time=get_elapsed_time)
    return cupy


class Identity(kusari.Link):
    def forward(self, x):
        return x


def test_cupy_arguments_are_timed_with_cuda_events(monkeypatch):
    log = []
    cupy = _fake_cupy(log)
    monkeypatch.setitem(sys.modules, "cupy", cupy)
    with TimerHook() as hook:
        Identity()(cupy.ndarray())
    assert log == [("new", 0), ("new", 1), ("record", 0), ("record", 1),
                   ("synchronize", 1), ("elapsed", 0, 1)]
    assert hook.call_history == [("Identity", 0.25)]
    assert hook.total_time() == 0.25


def test_numpy_arguments_do_not_touch_cupy(monkeypatch, clock):
    log = []
    monkeypatch.setitem(sys.modules, "cupy", _fake_cupy(log))
    with TimerHook() as hook:
        Identity()(numpy.zeros(1))
    assert log == []
    assert hook.call_history == [("Identity", 1.0)]
