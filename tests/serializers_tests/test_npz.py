import io
import os
import shutil
import subprocess
import zipfile

import numpy
import pytest

from kusari import serializers
from kusari.serializers import npz

CHAINER_PY = "/work/chainer-ref/bin/python"
needs_chainer = pytest.mark.skipif(
    not os.path.exists(CHAINER_PY), reason="reference Chainer is not installed"
)


class Node:
    """A small object tree with arrays, scalars, a None and a child."""

    def __init__(self, fill=0.0):
        self.w = numpy.full((2, 3), fill, dtype=numpy.float32)
        self.count = int(fill)
        self.rate = float(fill)
        self.flag = bool(fill)
        self.name = str(fill)
        self.maybe = None
        self.child_b = numpy.full(4, fill)

    def serialize(self, s):
        s("w", self.w)
        self.count = s("count", self.count)
        self.rate = s("rate", self.rate)
        self.flag = s("flag", self.flag)
        self.name = s("name", self.name)
        self.maybe = s("maybe", self.maybe)
        s["child"]("b", self.child_b)


def test_dictionary_serializer_keys_and_values():
    s = serializers.DictionarySerializer()
    s.save(Node(1.0))
    assert sorted(s.target) == ["child/b", "count", "flag", "maybe", "name", "rate", "w"]
    assert s.target["count"].dtype == numpy.int64
    assert s.target["name"].dtype.kind == "U"
    assert s.target["maybe"].dtype == npz.NONE_DTYPE


def test_slashes_in_keys_are_normalised():
    s = serializers.DictionarySerializer()["/a/"]["b"]
    s("/c", 1)
    assert list(s.target) == ["a/b/c"]


@pytest.mark.parametrize("compression", [True, False])
def test_roundtrip_file_object(compression):
    buf = io.BytesIO()
    serializers.save_npz(buf, Node(3.0), compression=compression)
    info = zipfile.ZipFile(io.BytesIO(buf.getvalue())).infolist()
    expected = zipfile.ZIP_DEFLATED if compression else zipfile.ZIP_STORED
    assert {i.compress_type for i in info} == {expected}
    buf.seek(0)
    dst = Node(0.0)
    dst.maybe = numpy.zeros(1)
    w_id = id(dst.w)
    serializers.load_npz(buf, dst)
    assert id(dst.w) == w_id  # filled in place
    numpy.testing.assert_array_equal(dst.w, numpy.full((2, 3), 3, numpy.float32))
    assert dst.count == 3 and type(dst.count) is int
    assert dst.rate == 3.0 and type(dst.rate) is float
    assert dst.flag is True
    assert dst.name == "3.0"
    assert dst.maybe is None
    numpy.testing.assert_array_equal(dst.child_b, numpy.full(4, 3.0))


def test_roundtrip_path_is_atomic_and_keeps_name(tmp_path):
    path = tmp_path / "snap"  # no .npz suffix appended
    serializers.save_npz(str(path), Node(2.0))
    assert os.listdir(tmp_path) == ["snap"]
    dst = Node()
    serializers.load_npz(path, dst)
    assert dst.count == 2


def test_failed_save_leaves_old_file_and_no_temp(tmp_path):
    path = tmp_path / "snap.npz"
    serializers.save_npz(path, Node(5.0))
    before = path.read_bytes()

    class Bad:
        def serialize(self, s):
            s("x", object())  # would need pickle

    with pytest.raises(ValueError, match="object array"):
        serializers.save_npz(path, Bad())
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["snap.npz"]


def test_load_value_none_returns_array():
    d = serializers.NpzDeserializer({"a": numpy.arange(3)})
    numpy.testing.assert_array_equal(d("a", None), numpy.arange(3))


def test_strict_missing_key_raises_keyerror():
    d = serializers.NpzDeserializer({"a": numpy.arange(3)})
    with pytest.raises(KeyError, match="'b'"):
        d("b", 1)
    assert serializers.NpzDeserializer({}, strict=False)("b", 7) == 7


def test_ignore_names_string_callable_and_bad():
    data = {"p/a": numpy.asarray(1), "p/b": numpy.asarray(2)}
    d = serializers.NpzDeserializer(data, ignore_names=["p/a", lambda k: k.endswith("b")])["p"]
    assert d("a", 10) == 10 and d("b", 20) == 20
    with pytest.raises(ValueError, match="ignore_names"):
        serializers.NpzDeserializer(data, ignore_names=3)


def test_load_with_path_prefix():
    buf = io.BytesIO()

    class Outer:
        def serialize(self, s):
            Node(4.0).serialize(s["updater"]["model:main"])

    serializers.save_npz(buf, Outer())
    buf.seek(0)
    dst = Node()
    serializers.load_npz(buf, dst, path="updater/model:main/")
    assert dst.count == 4


def test_scalar_conversion_rules():
    d = serializers.NpzDeserializer(
        {"f": numpy.asarray(1.5), "i": numpy.asarray(3), "b": numpy.asarray(True)}
    )
    assert d("i", 0.0) == 3.0
    assert d("b", 0) == 1
    with pytest.raises(TypeError, match="cannot safely load key 'f'"):
        d("f", 0)
    with pytest.raises(TypeError, match="cannot safely load key 'i'"):
        d("i", False)


def test_shape_mismatch_is_clear():
    d = serializers.NpzDeserializer({"w": numpy.zeros(3)})
    with pytest.raises(ValueError, match=r"'w' has shape \(3,\).*\(2,\)"):
        d("w", numpy.zeros(2))


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (shutil.copy, (__file__, self.marker))


def _write_object_npz(path, value):
    arr = numpy.empty((), dtype=object)
    arr[()] = value
    numpy.savez(path, evil=arr, ok=numpy.arange(2))


@pytest.mark.parametrize("wrap", [False, True])
def test_hostile_pickle_is_refused_and_not_run(tmp_path, wrap):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    payload = _Evil(str(marker))
    _write_object_npz(path, [payload] if wrap else payload)

    class Target:
        def serialize(self, s):
            s("ok", numpy.zeros(2, dtype=numpy.int64))
            s("evil", None)

    with pytest.raises(ValueError, match="'evil'.*refuses to load pickled objects"):
        serializers.load_npz(path, Target())
    assert not marker.exists()


def test_chainer_style_pickled_none_is_read(tmp_path):
    path = tmp_path / "none.npz"
    numpy.savez(path, a=numpy.asarray(None), b=numpy.asarray(2.0))

    class Target:
        a = numpy.zeros(1)
        b = 0.0

        def serialize(self, s):
            self.a = s("a", self.a)
            self.b = s("b", self.b)

    t = Target()
    serializers.load_npz(path, t)
    assert t.a is None and t.b == 2.0


def test_load_npz_rejects_plain_npy(tmp_path):
    path = tmp_path / "x.npy"
    numpy.save(path, numpy.zeros(2))
    with pytest.raises(ValueError, match="not an .npz archive"):
        serializers.load_npz(path, Node())


_CHAINER_SAVE = """
import sys, numpy, chainer, chainer.links as L
from chainer import serializers
from chainer.iterators import SerialIterator
numpy.random.seed(0)
class Top(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 2)
            self.l2 = L.Linear(None, 4)
top = Top()
it = SerialIterator(list(range(7)), 3)
it.next()
class Snap:
    def serialize(self, s):
        top.serialize(s['updater']['model:main'])
        it.serialize(s['updater']['iterator:main'])
serializers.save_npz(sys.argv[1], Snap())
numpy.save(sys.argv[1] + '.W.npy', top.l1.W.array)
"""


@pytest.mark.chainer_ref
@needs_chainer
def test_chainer_snapshot_loads(tmp_path):
    path = tmp_path / "snapshot_iter_1"
    env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib")
    subprocess.run([CHAINER_PY, "-c", _CHAINER_SAVE, str(path)], check=True, env=env)
    expected_w = numpy.load(str(path) + ".W.npy")

    class Model:
        w = numpy.zeros((2, 3), dtype=numpy.float32)
        b = numpy.zeros(2, dtype=numpy.float32)
        w2 = numpy.zeros(1)

        def serialize(self, s):
            s["l1"]("W", self.w)
            s["l1"]("b", self.b)
            self.w2 = s["l2"]("W", self.w2)

    m = Model()
    serializers.load_npz(path, m, path="updater/model:main/")
    numpy.testing.assert_array_equal(m.w, expected_w)
    assert m.w2 is None  # Chainer's pickled None, read without unpickling

    from kusari.iterators import SerialIterator

    it = SerialIterator(list(range(7)), 3)
    serializers.load_npz(path, it, path="updater/iterator:main/")
    assert it.current_position == 3 and it.epoch == 0
    assert it.previous_epoch_detail == 0.0


_CHAINER_LOAD = """
import sys, numpy
from chainer import serializers
class T:
    def __init__(self):
        self.w = numpy.zeros((2, 3), dtype=numpy.float32)
        self.count = 0
    def serialize(self, s):
        s('w', self.w)
        self.count = s('count', self.count)
t = T()
serializers.load_npz(sys.argv[1], t)
print(t.w.sum(), t.count)
"""


@pytest.mark.chainer_ref
@needs_chainer
def test_chainer_reads_kusari_file(tmp_path):
    path = tmp_path / "k.npz"

    class T:
        def serialize(self, s):
            s("w", numpy.ones((2, 3), dtype=numpy.float32))
            s("count", 7)

    serializers.save_npz(path, T())
    env = dict(os.environ, SETUPTOOLS_USE_DISTUTILS="stdlib")
    out = subprocess.run(
        [CHAINER_PY, "-c", _CHAINER_LOAD, str(path)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["6.0", "7"]
