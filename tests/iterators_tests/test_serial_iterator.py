import json

import numpy
import pytest

from kusari import serializers
from kusari.iterators import OrderSampler, SerialIterator, ShuffleOrderSampler

from . import _chainer_ref


def test_no_shuffle_repeat_wraps_within_batch():
    it = SerialIterator(list(range(5)), 3, shuffle=False)
    assert it.previous_epoch_detail is None
    assert it.next() == [0, 1, 2]
    assert (it.epoch, it.is_new_epoch, it.epoch_detail) == (0, False, 0.6)
    assert it.next() == [3, 4, 0]
    assert (it.epoch, it.is_new_epoch, it.current_position) == (1, True, 1)
    assert it.previous_epoch_detail == 0.6
    assert it.next() == [1, 2, 3]
    assert not it.is_new_epoch


def test_batch_larger_than_dataset_wraps_several_times():
    it = SerialIterator([0, 1, 2], 7, shuffle=False)
    assert it.next() == [0, 1, 2, 0, 1, 2, 0]
    assert it.epoch == 2 and it.current_position == 1
    assert it.epoch_detail == pytest.approx(2 + 1 / 3)


def test_no_repeat_short_last_batch_then_stop():
    it = SerialIterator(list(range(5)), 2, repeat=False, shuffle=False)
    assert list(it) == [[0, 1], [2, 3], [4]]
    assert it.epoch == 1 and it.is_new_epoch
    with pytest.raises(StopIteration):
        it.next()


def test_shuffle_none_means_shuffle_from_global_rng():
    numpy.random.seed(3)
    it = SerialIterator(list(range(6)), 6)
    numpy.random.seed(3)
    expected = numpy.random.permutation(6)
    assert it.next() == list(expected)
    assert isinstance(it.order_sampler, ShuffleOrderSampler)
    assert SerialIterator([1], 1, shuffle=False).order_sampler is None


def test_each_epoch_is_a_permutation():
    it = SerialIterator(list(range(10)), 5, shuffle=True)
    for _ in range(4):
        epoch = it.next() + it.next()
        assert sorted(epoch) == list(range(10))


def test_custom_order_sampler_and_conflict():
    class Reverse(OrderSampler):
        def __init__(self):
            self.calls = []

        def __call__(self, order, pos):
            self.calls.append((list(order), pos))
            return order[::-1].copy()

    s = Reverse()
    it = SerialIterator(list(range(4)), 3, order_sampler=s)
    assert it.next() == [3, 2, 1]
    assert it.next() == [0, 0, 1]
    assert s.calls == [([0, 1, 2, 3], 0), ([3, 2, 1, 0], 3)]
    with pytest.raises(ValueError, match="custom `order_sampler`"):
        SerialIterator([1], 1, shuffle=True, order_sampler=s)


def test_order_sampler_changing_length():
    class Grow(OrderSampler):
        def __call__(self, order, pos):
            return numpy.arange(len(order) + 1)

    it = SerialIterator(list(range(3)), 2, order_sampler=Grow())
    it.next()
    with pytest.raises(ValueError, match="order of length 5, expected 4"):
        it.next()


@pytest.mark.parametrize("bad, err", [(0, ValueError), (-2, ValueError), (1.5, TypeError)])
def test_bad_batch_size(bad, err):
    with pytest.raises(err, match="SerialIterator: batch_size"):
        SerialIterator([1, 2], bad)


def test_empty_dataset():
    with pytest.raises(ValueError, match="dataset is empty"):
        SerialIterator([], 2).next()
    assert list(SerialIterator([], 2, repeat=False)) == []


def test_reset_and_context_manager():
    with SerialIterator(list(range(4)), 3, repeat=False, shuffle=False) as it:
        it.next()
        it.next()
        it.reset()
        assert it.epoch == 0 and it.previous_epoch_detail is None
        assert it.next() == [0, 1, 2]


def _snapshot(obj):
    s = serializers.DictionarySerializer()
    s.save(obj)
    return s.target


def test_serialize_keys_match_chainer():
    it = SerialIterator(list(range(5)), 2)
    it.next()
    keys = set(_snapshot(it))
    assert keys >= {"current_position", "epoch", "is_new_epoch", "order", "previous_epoch_detail"}
    assert {k for k in keys if not k.startswith("_rng_state/")} == {
        "current_position",
        "epoch",
        "is_new_epoch",
        "order",
        "previous_epoch_detail",
    }
    it = SerialIterator(list(range(5)), 2, shuffle=False)
    assert set(_snapshot(it)) == {
        "current_position",
        "epoch",
        "is_new_epoch",
        "previous_epoch_detail",
    }


@pytest.mark.parametrize("sampler", ["global", "private"])
def test_resume_reproduces_uninterrupted_run(sampler):
    def make():
        if sampler == "global":
            return SerialIterator(list(range(7)), 3)
        return SerialIterator(
            list(range(7)), 3, order_sampler=ShuffleOrderSampler(numpy.random.RandomState(1))
        )

    numpy.random.seed(0)
    ref = make()
    uninterrupted = [ref.next() for _ in range(12)]

    numpy.random.seed(0)
    it = make()
    first = [it.next() for _ in range(5)]
    snap = _snapshot(it)
    numpy.random.seed(999)  # something else disturbs the RNG before the resume
    resumed = make()
    numpy.random.random(10)
    serializers.NpzDeserializer(snap).load(resumed)
    assert resumed.epoch_detail == it.epoch_detail
    assert resumed.previous_epoch_detail == it.previous_epoch_detail
    rest = [resumed.next() for _ in range(7)]
    assert first + rest == uninterrupted


def test_chainer_snapshot_without_rng_state_loads():
    it = SerialIterator(list(range(5)), 2)
    it.next()
    snap = {k: v for k, v in _snapshot(it).items() if not k.startswith("_rng_state")}
    other = SerialIterator(list(range(5)), 2)
    serializers.NpzDeserializer(snap).load(other)
    assert other.current_position == 2
    numpy.testing.assert_array_equal(other._state.order, it._state.order)


def test_old_snapshot_without_previous_epoch_detail():
    it = SerialIterator(list(range(10)), 3, shuffle=False)
    for _ in range(4):
        it.next()
    snap = {k: v for k, v in _snapshot(it).items() if k != "previous_epoch_detail"}
    other = SerialIterator(list(range(10)), 3, shuffle=False)
    serializers.NpzDeserializer(snap).load(other)
    assert other.previous_epoch_detail == pytest.approx(0.9)


CASES = [
    [3, 5, True, None, 0, 8],
    [7, 3, True, True, 1, 6],
    [2, 4, False, True, 2, 5],
    [5, 3, False, False, 3, 3],
    [4, 4, True, None, 4, 6],
    [3, 10, True, False, 5, 9],
    [10, 10, False, None, 6, 3],
    [1, 1, True, None, 7, 4],
    [6, 4, False, None, 8, 3],
]


@pytest.mark.chainer_ref
@_chainer_ref.needs_chainer
def test_orders_match_reference_chainer():
    args = json.dumps(CASES)
    ours = _chainer_ref.run("kusari", _chainer_ref.ORDER_SCRIPT, args)
    theirs = _chainer_ref.run("chainer", _chainer_ref.ORDER_SCRIPT, args)
    assert ours == theirs


@pytest.mark.parametrize("kind", ["tuple_dataset", "list", "tuple"])
def test_unshuffled_slices_give_the_per_example_batches(kind: str) -> None:
    from kusari.datasets import TupleDataset

    x = numpy.arange(14, dtype=numpy.float32).reshape(7, 2)
    t = numpy.arange(7, dtype=numpy.int32)
    data = {"tuple_dataset": TupleDataset(x, t), "list": list(x), "tuple": tuple(x)}[kind]
    it = SerialIterator(data, 3, shuffle=False)
    for _ in range(6):  # batches inside an epoch (one slice) and across its end
        pos = it.current_position
        batch = it.next()
        expect = [data[(pos + k) % 7] for k in range(3)]
        assert len(batch) == 3 and type(batch) is list
        for got, want in zip(batch, expect):
            if kind == "tuple_dataset":
                assert type(got) is tuple
                numpy.testing.assert_array_equal(got[0], want[0])
                assert got[1] == want[1] and type(got[1]) is type(want[1])
            else:
                numpy.testing.assert_array_equal(got, want)
    assert it.epoch == 2
