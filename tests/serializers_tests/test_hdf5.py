import sys

import numpy
import pytest

from kusari import serializers

h5py = pytest.importorskip("h5py")


class Node:
    def __init__(self, fill=0.0):
        self.w = numpy.full((2, 3), fill, dtype=numpy.float32)
        self.count = int(fill)
        self.name = str(fill)
        self.maybe = None

    def serialize(self, s):
        s["sub"]("w", self.w)
        self.count = s("count", self.count)
        self.name = s("name", self.name)
        self.maybe = s("maybe", self.maybe)


def test_roundtrip(tmp_path):
    path = tmp_path / "n.h5"
    serializers.save_hdf5(path, Node(2.0))
    with h5py.File(path, "r") as f:
        assert sorted(f.keys()) == ["count", "maybe", "name", "sub"]
        assert f["maybe"].shape is None
    dst = Node()
    dst.maybe = numpy.zeros(1)
    serializers.load_hdf5(path, dst)
    numpy.testing.assert_array_equal(dst.w, numpy.full((2, 3), 2.0, numpy.float32))
    assert dst.count == 2 and dst.name == "2.0" and dst.maybe is None


def test_missing_key_strict(tmp_path):
    path = tmp_path / "n.h5"
    with h5py.File(path, "w"):
        pass
    with pytest.raises(KeyError, match="count"), h5py.File(path, "r") as f:
        serializers.HDF5Deserializer(f)("count", 0)
    with h5py.File(path, "r") as f:
        d = serializers.HDF5Deserializer(f, strict=False)
        assert d["sub"]("x", 5) == 5


def test_missing_h5py_gives_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match=r"kusari\[hdf5\]"):
        serializers.save_hdf5("unused.h5", Node())


def test_iterator_roundtrip_with_and_without_rng_state(tmp_path):
    from kusari.iterators import SerialIterator

    numpy.random.seed(0)
    it = SerialIterator(list(range(7)), 3)
    it.next()
    path = tmp_path / "it.h5"
    serializers.save_hdf5(path, it)
    expected = [it.next() for _ in range(5)]
    numpy.random.seed(1)
    other = SerialIterator(list(range(7)), 3)
    serializers.load_hdf5(path, other)
    assert [other.next() for _ in range(5)] == expected
    with h5py.File(path, "a") as f:
        del f["_rng_state"]  # as in a snapshot written by Chainer
    third = SerialIterator(list(range(7)), 3)
    serializers.load_hdf5(path, third)
    assert third.current_position == 3
