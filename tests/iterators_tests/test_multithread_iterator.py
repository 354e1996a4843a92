import threading

import numpy
import pytest

from kusari import serializers
from kusari.iterators import MultithreadIterator, SerialIterator, ShuffleOrderSampler


@pytest.mark.parametrize("n_threads", [1, 3])
@pytest.mark.parametrize("repeat,shuffle", [(True, None), (False, False), (False, True)])
def test_same_batches_as_serial_iterator(n_threads, repeat, shuffle):
    ds = [numpy.full(2, i) for i in range(11)]
    numpy.random.seed(4)
    ref = [
        [int(x[0]) for x in b] for _, b in zip(range(7), SerialIterator(ds, 4, repeat, shuffle))
    ]
    numpy.random.seed(4)
    with MultithreadIterator(ds, 4, repeat, shuffle, n_threads=n_threads) as it:
        got = [[int(x[0]) for x in b] for _, b in zip(range(7), it)]
    assert got == ref


def test_uses_worker_threads():
    seen = set()

    class Recording:
        def __len__(self):
            return 8

        def __getitem__(self, i):
            seen.add(threading.current_thread().name)
            return i

    with MultithreadIterator(Recording(), 8, n_threads=4, shuffle=False) as it:
        assert it.next() == list(range(8))
    assert all(name.startswith("kusari-MultithreadIterator") for name in seen)


def test_errors_propagate():
    class Bad:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            raise IndexError(f"no {i}")

    with MultithreadIterator(Bad(), 2) as it, pytest.raises(IndexError, match="no"):
        it.next()


def test_resume_reproduces_uninterrupted_run():
    def make():
        return MultithreadIterator(
            list(range(5)), 2, order_sampler=ShuffleOrderSampler(numpy.random.RandomState(0))
        )

    with make() as a:
        first = [a.next() for _ in range(3)]
        s = serializers.DictionarySerializer()
        s.save(a)
        rest = [a.next() for _ in range(6)]
    with make() as b:
        serializers.NpzDeserializer(s.target).load(b)
        assert [b.next() for _ in range(6)] == rest
    assert len(first) == 3


def test_finalize_and_bad_n_threads():
    it = MultithreadIterator([1, 2, 3], 2, shuffle=False, n_threads=2)
    assert it.next() == [1, 2]
    it.finalize()
    assert it._pool is None
    assert it.next() == [3, 1]  # restarts transparently
    it.finalize()
    with pytest.raises(ValueError, match="n_threads"):
        MultithreadIterator([1], 1, n_threads=0)
