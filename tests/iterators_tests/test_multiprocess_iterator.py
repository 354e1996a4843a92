import copy
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time

import numpy
import pytest

from kusari import serializers
from kusari.iterators import MultiprocessIterator, SerialIterator, ShuffleOrderSampler


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is not running any more.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def _wait_dead(pids, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


class Squares:
    """Examples with an image-like array, a label and a dict field."""

    def __init__(self, n=13):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = numpy.full((2, 3), i, dtype=numpy.float32)
        return x, numpy.int32(i), {"sq": numpy.arange(i % 4) * i, "name": f"ex{i}"}


def _ids(batch):
    return [int(ex[1]) for ex in batch]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(n_processes=1),
        dict(n_processes=3, n_prefetch=3),
        dict(n_processes=2, shared_mem=0),
        dict(n_processes=2, shared_mem=40),  # too small for some: pickled fallback
        dict(n_processes=2, shared_mem=1 << 12),
    ],
)
@pytest.mark.parametrize("repeat,shuffle", [(True, None), (False, False), (False, True)])
def test_same_batches_as_serial_iterator(kwargs, repeat, shuffle):
    ds = Squares()
    numpy.random.seed(7)
    ref = SerialIterator(ds, 5, repeat=repeat, shuffle=shuffle)
    expected = [b for _, b in zip(range(8), ref)]
    numpy.random.seed(7)
    with MultiprocessIterator(ds, 5, repeat=repeat, shuffle=shuffle, **kwargs) as it:
        got = []
        for batch in it:
            got.append(batch)
            if len(got) == 8:
                break
    assert [_ids(b) for b in got] == [_ids(b) for b in expected]
    for b, e in zip(got, expected):
        for (x, t, d), (ex, et, ed) in zip(b, e):
            numpy.testing.assert_array_equal(x, ex)
            assert x.dtype == numpy.float32 and x.flags.writeable
            assert t == et and type(t) is numpy.int32
            numpy.testing.assert_array_equal(d["sq"], ed["sq"])
            assert d["name"] == ed["name"]


def test_epoch_bookkeeping_matches_serial():
    # Separate generators: both iterators run interleaved here.
    ref = SerialIterator(
        list(range(7)), 3, order_sampler=ShuffleOrderSampler(numpy.random.RandomState(3))
    )
    sampler = ShuffleOrderSampler(numpy.random.RandomState(3))
    with MultiprocessIterator(
        list(range(7)), 3, n_processes=2, n_prefetch=2, order_sampler=sampler
    ) as it:
        assert it.previous_epoch_detail is None
        for _ in range(9):
            assert it.next() == ref.next()
            assert (it.epoch, it.current_position, it.is_new_epoch) == (
                ref.epoch,
                ref.current_position,
                ref.is_new_epoch,
            )
            assert it.epoch_detail == ref.epoch_detail
            assert it.previous_epoch_detail == ref.previous_epoch_detail


def test_batches_do_not_alias_shared_memory():
    ds = [numpy.full(4, i, dtype=numpy.float64) for i in range(6)]
    with MultiprocessIterator(ds, 2, shuffle=False, n_processes=2, n_prefetch=2) as it:
        first = it.next()
        for _ in range(5):
            it.next()
    numpy.testing.assert_array_equal(first[0], numpy.zeros(4))
    numpy.testing.assert_array_equal(first[1], numpy.ones(4))


class Failing:
    def __len__(self):
        return 10

    def __getitem__(self, i):
        if i == 6:
            raise KeyError(f"bad example {i}")
        return numpy.zeros(2)


def test_worker_exception_is_raised_in_main_process():
    it = MultiprocessIterator(Failing(), 4, shuffle=False, n_processes=2)
    it.next()
    with pytest.raises(KeyError, match="bad example 6") as info:
        it.next()
    assert "Traceback in the worker process" in str(info.value.__cause__)
    assert "__getitem__" in str(info.value.__cause__)
    assert it._workers == []  # workers were shut down
    it.finalize()


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle me")


class RaisesUnpicklable:
    def __len__(self):
        return 4

    def __getitem__(self, i):
        raise Unpicklable("weird")


def test_unpicklable_worker_exception_becomes_runtime_error():
    with MultiprocessIterator(RaisesUnpicklable(), 2, shared_mem=64, n_processes=1) as it:
        with pytest.raises(RuntimeError, match="a worker raised Unpicklable"):
            it.next()


class DiesInWorker:
    def __init__(self):
        self.parent = os.getpid()

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if os.getpid() != self.parent and i == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return numpy.zeros(3)


def test_killed_worker_raises_without_hanging():
    it = MultiprocessIterator(DiesInWorker(), 4, shuffle=False, n_processes=2, shared_mem=64)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="died unexpectedly"):
        for _ in range(3):
            it.next()
    assert time.monotonic() - start < 10
    it.finalize()


class Slow:
    def __len__(self):
        return 4

    def __getitem__(self, i):
        time.sleep(0.4)
        return i


def test_dataset_timeout_warns():
    with MultiprocessIterator(Slow(), 2, n_processes=1, shared_mem=0, dataset_timeout=0.2) as it:
        with pytest.warns(MultiprocessIterator.TimeoutWarning, match="dataset_timeout"):
            assert sorted(it.next()) in ([0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3])


def test_finalize_stops_workers_and_iterator_restarts():
    numpy.random.seed(1)
    ref = SerialIterator(list(range(10)), 3)
    expected = [ref.next() for _ in range(6)]
    numpy.random.seed(1)
    it = MultiprocessIterator(list(range(10)), 3, n_processes=2, n_prefetch=2)
    got = [it.next() for _ in range(3)]
    pids = [w.process.pid for w in it._workers]
    it.finalize()
    assert _wait_dead(pids, timeout=1.0)
    got += [it.next() for _ in range(3)]  # new workers, same sequence
    it.finalize()
    assert got == expected


def test_maxtasksperchild_replaces_workers():
    numpy.random.seed(2)
    ref = SerialIterator(Squares(), 4)
    expected = [_ids(ref.next()) for _ in range(10)]
    numpy.random.seed(2)
    with MultiprocessIterator(Squares(), 4, n_processes=2, maxtasksperchild=2) as it:
        got = [_ids(it.next())]
        first_pids = {w.process.pid for w in it._workers}
        got += [_ids(it.next()) for _ in range(9)]
        assert got == expected
        assert it._next_worker > 4  # replacements were started
        later_pids = {w.process.pid for w in it._workers}
    assert not first_pids <= later_pids
    assert _wait_dead(first_pids | later_pids)


def _snapshot(obj):
    s = serializers.DictionarySerializer()
    s.save(obj)
    return s.target


@pytest.mark.parametrize("private_rng", [False, True])
def test_resume_reproduces_uninterrupted_run(private_rng):
    def make():
        sampler = ShuffleOrderSampler(numpy.random.RandomState(5)) if private_rng else None
        return MultiprocessIterator(
            list(range(7)), 3, n_processes=2, n_prefetch=3, order_sampler=sampler
        )

    numpy.random.seed(0)
    with make() as a:
        first = [a.next() for _ in range(4)]
        snap = _snapshot(a)
        uninterrupted = first + [a.next() for _ in range(8)]

    numpy.random.seed(123)
    with make() as b:
        b.next()  # progress that the snapshot overwrites
        serializers.NpzDeserializer(snap).load(b)
        assert b.epoch_detail == pytest.approx(4 * 3 / 7)
        resumed = first + [b.next() for _ in range(8)]
    assert resumed == uninterrupted


def test_serialize_keys_and_serial_snapshot_loads():
    numpy.random.seed(0)
    s = SerialIterator(list(range(9)), 4)
    s.next()
    snap = _snapshot(s)
    expected = [s.next() for _ in range(5)]
    with MultiprocessIterator(list(range(9)), 4, n_processes=2) as it:
        serializers.NpzDeserializer(snap).load(it)
        assert [it.next() for _ in range(5)] == expected
        keys = {k for k in _snapshot(it) if not k.startswith("_rng_state/")}
    assert keys == {"current_position", "epoch", "is_new_epoch", "order", "previous_epoch_detail"}


def test_reset_and_copy():
    with MultiprocessIterator(list(range(5)), 2, shuffle=False, n_processes=2) as it:
        assert it.next() == [0, 1]
        assert it.next() == [2, 3]
        other = copy.copy(it)
        it.reset()
        assert it.next() == [0, 1]
        assert other.next() == [4, 0]
        other.finalize()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_processes=0), "n_processes"),
        (dict(n_prefetch=0), "n_prefetch"),
        (dict(shared_mem=-1), "shared_mem"),
        (dict(maxtasksperchild=0), "maxtasksperchild"),
        (dict(dataset_timeout=0), "dataset_timeout"),
        (dict(shuffle=True, order_sampler=ShuffleOrderSampler()), "order_sampler"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiprocessIterator([1, 2], 1, **kwargs)


def test_timeout_warning_class_is_picklable_name():
    assert issubclass(MultiprocessIterator.TimeoutWarning, RuntimeWarning)
    pickle.dumps(MultiprocessIterator(list(range(2)), 1, n_processes=1).order_sampler)


_EXIT_SCRIPT = textwrap.dedent(
    """
    import os, sys, numpy
    from kusari.iterators import MultiprocessIterator
    it = MultiprocessIterator([numpy.zeros(3)] * 20, 4, n_processes=3)
    it.next()
    print(' '.join(str(w.process.pid) for w in it._workers), flush=True)
    if sys.argv[1] == 'kill':
        os.kill(os.getpid(), 9)
    elif sys.argv[1] == 'error':
        raise SystemExit(3)
    """
)


@pytest.mark.parametrize("how", ["exit", "error", "kill"])
def test_no_orphans_when_main_process_ends(how):
    proc = subprocess.run(
        [sys.executable, "-c", _EXIT_SCRIPT, how], capture_output=True, text=True, timeout=60
    )
    pids = [int(p) for p in proc.stdout.split()]
    assert len(pids) == 3
    assert _wait_dead(pids, timeout=10.0), "worker processes outlived their parent"
    assert "Traceback" not in proc.stderr


def test_spawn_start_method(monkeypatch):
    monkeypatch.setattr(MultiprocessIterator, "start_method", "spawn")
    ds = [numpy.full(3, i, dtype=numpy.int16) for i in range(6)]
    with MultiprocessIterator(ds, 3, shuffle=False, n_processes=2, shared_mem=64) as it:
        assert it._ctx.get_start_method() == "spawn"
        batch = it.next()
    assert [int(x[0]) for x in batch] == [0, 1, 2] and batch[0].dtype == numpy.int16


def test_garbage_collected_iterator_stops_workers():
    import gc

    it = MultiprocessIterator(list(range(8)), 2, n_processes=2)
    it.next()
    pids = [w.process.pid for w in it._workers]
    del it
    gc.collect()
    assert _wait_dead(pids, timeout=5.0)
