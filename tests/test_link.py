"""Link, Chain and ChainList: registration, traversal order, copies, serialization."""

import copy

import numpy
import pytest

from kusari import Chain, ChainList, Link, Parameter, initializers, serializers
from kusari import links as L


class Child(Link):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.w = Parameter(initializers.Constant(1.0), (2,))
            self.a = Parameter()  # uninitialized
        self.add_persistent("count", 0)
        self.add_persistent("stat", numpy.zeros(2, numpy.float32))


class Parent(Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.z = Child()
            self.b = Child()
            self.p = Parameter(numpy.ones(3, numpy.float32))


def test_namedparams_sorted_and_uninitialized():
    m = Parent()
    assert [n for n, _ in m.namedparams()] == ["/p", "/b/a", "/b/w", "/z/a", "/z/w"]
    assert [n for n, _ in m.namedparams(include_uninit=False)] == ["/p", "/b/w", "/z/w"]
    assert [n for n, _ in m.namedlinks()] == ["/", "/b", "/z"]
    assert [n for n, _ in m.namedlinks(skipself=True)] == ["/b", "/z"]
    assert len(list(m.children())) == 2
    with pytest.warns(UserWarning):
        assert m.count_params() == 3 + 2 + 2


def test_registration_rules():
    link = Link()
    link.p = Parameter(numpy.zeros(2))  # outside init_scope: not registered
    assert list(link.params()) == []
    link.add_param("q", (2, 3))
    assert link.q.shape == (2, 3) and numpy.isnan(link.q.array).all()
    with pytest.raises(AttributeError):
        link.add_param("q", (1,))
    with pytest.raises(AttributeError):
        link.add_persistent("q", 1)
    chain = Chain()
    with pytest.raises(TypeError):
        chain.add_link("x", object())
    chain.add_link("l", L.Linear(2, 2))
    with pytest.raises(AttributeError):
        chain.add_link("l", L.Linear(2, 2))
    del chain.l
    assert list(chain.params()) == []


def test_serialize_round_trip_with_persistents():
    src = Parent()
    src.z.count = 5
    src.z.stat[...] = 3
    src.z.a.initialize((4,))
    s = serializers.DictionarySerializer()
    s.save(src)
    assert {"z/count", "z/stat", "z/w", "z/a", "b/a", "p"} <= set(s.target)
    dst = Parent()
    serializers.NpzDeserializer(s.target).load(dst)
    assert dst.z.count == 5
    numpy.testing.assert_array_equal(dst.z.stat, 3)
    assert dst.z.a.shape == (4,)  # an uninitialized parameter takes the saved shape


def test_copyparams_addgrads_cleargrads_zerograds():
    a, b = Parent(), Parent()
    b.p.array[...] = 7
    b.z.count = 9
    a.copyparams(b)
    numpy.testing.assert_array_equal(a.p.array, 7)
    assert a.z.count == 9
    a.zerograds()
    numpy.testing.assert_array_equal(a.p.grad, 0)
    b.zerograds()
    b.p.grad[...] = 2
    a.addgrads(b)
    numpy.testing.assert_array_equal(a.p.grad, 2)
    a.cleargrads()
    assert a.p.grad is None


def test_copy_modes():
    m = Parent()
    shared = m.copy()
    assert shared.p is not m.p and shared.p.array is m.p.array
    assert shared.z is not m.z and shared.z.w.array is m.z.w.array
    assert shared.p.grad is None
    copied = m.copy(mode="copy")
    assert copied.p.array is not m.p.array
    deep = copy.deepcopy(m)
    assert deep.z.stat is not m.z.stat
    init = m.copy(mode="init")
    assert init.z.w.array is not m.z.w.array
    with pytest.raises(ValueError):
        m.copy(mode="bad")


def test_chainlist():
    cl = ChainList(L.Linear(2, 3), L.Linear(3, 1))
    cl.append(L.Linear(1, 1))
    assert len(cl) == 3 and cl[1].W.shape == (1, 3)
    assert [n for n, _ in cl.namedparams()][:2] == ["/0/W", "/0/b"]
    assert [n for n, _ in cl.namedlinks(skipself=True)] == ["/0", "/1", "/2"]
    shared = cl.copy()
    assert shared[0] is not cl[0] and shared[0].W.array is cl[0].W.array
    with pytest.raises(TypeError):
        with cl.init_scope():
            cl.x = L.Linear(1, 1)


def test_update_enabled_flags():
    from kusari import optimizers

    m = Parent()
    optimizers.SGD().setup(m)
    assert m.update_enabled
    m.disable_update()
    assert not m.update_enabled
    m.z.enable_update()
    assert m.update_enabled and m.z.w.update_rule.enabled and not m.p.update_rule.enabled


def test_repeat_sequential():
    seq = L.Linear(2, 2).repeat(3, mode="init")
    x = numpy.ones((1, 2), numpy.float32)
    assert seq(x).shape == (1, 2)
    assert len({id(layer.W.array) for layer in seq}) == 3
    shared = L.Linear(2, 2).repeat(2, mode="share")
    assert shared[0].W.array is shared[1].W.array


def test_repr_and_call():
    assert "Linear(in_size=2, out_size=3, nobias=False)" == repr(L.Linear(2, 3))
    with pytest.raises(NotImplementedError):
        Link()()
