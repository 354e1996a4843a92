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


def _same(link: Link) -> None:
    """The cached parameter tuple is exactly what params() yields now."""
    cached = link._all_params()
    fresh = tuple(link.params())
    assert len(cached) == len(fresh)
    assert all(a is b for a, b in zip(cached, fresh))


def test_param_cache_follows_link_changes() -> None:
    import pickle

    from kusari import Sequential

    child = Child()
    parent = Parent()
    _same(parent)
    first = parent._all_params()
    assert parent._all_params() is first  # cached while nothing changes
    with child.init_scope():
        child.extra = Parameter(numpy.zeros(2, numpy.float32))
    _same(child)
    with parent.init_scope():  # a new child link
        parent.c3 = child
    _same(parent)
    assert any(p is child.extra for p in parent._all_params())
    swapped = Parameter(numpy.ones(2, numpy.float32))
    child.extra = swapped  # a registered parameter replaced outside init_scope
    assert any(p is swapped for p in parent._all_params())
    _same(parent)
    parent.c3 = Child()  # a registered child replaced outside init_scope
    assert not any(p is swapped for p in parent._all_params())
    _same(parent)
    del parent.c3
    _same(parent)
    parent.z.add_persistent("p0", 1.0)
    parent.z.register_persistent("w")  # a parameter turned persistent
    _same(parent)
    del parent.b.w
    _same(parent)

    shared = parent.copy("share")
    _same(shared)
    assert not any(a is b for a, b in zip(shared._all_params(), parent._all_params()))
    _same(parent)
    for other in (copy.deepcopy(parent), pickle.loads(pickle.dumps(parent))):
        _same(other)
        assert not any(a is b for a, b in zip(other._all_params(), parent._all_params()))

    cl = ChainList(L.Linear(2, 2))
    _same(cl)
    cl.append(L.Linear(2, 3))
    _same(cl)
    seq = Sequential(L.Linear(2, 2), L.Linear(2, 2))
    _same(seq)
    seq.insert(0, L.Linear(3, 2))
    _same(seq)
    seq[1] = L.Linear(4, 4)
    _same(seq)
    del seq[0]
    _same(seq)
    seq.pop()
    _same(seq)
    assert len(seq._all_params()) == 2


def test_param_cache_skips_overridden_params() -> None:
    class Dynamic(Chain):
        def __init__(self) -> None:
            super().__init__()
            with self.init_scope():
                self.a = L.Linear(2, 2)
            self.use_a = True

        def params(self, include_uninit: bool = True):  # type: ignore[override]
            return self.a.params(include_uninit) if self.use_a else iter(())

    d = Dynamic()
    assert len(d._all_params()) == 2
    d.use_a = False  # not a structure change: only a fresh params() call sees it
    assert d._all_params() == ()


def test_cleargrads_and_optimizer_see_a_new_parameter() -> None:
    from kusari import optimizers

    link = Child()
    opt = optimizers.SGD(lr=1.0).setup(link)
    link.cleargrads()
    with link.init_scope():
        link.late = Parameter(numpy.ones(3, numpy.float32))
    link.late.grad = numpy.ones(3, numpy.float32)
    link.cleargrads()
    assert link.late.grad is None
    link.late.update_rule = opt.create_update_rule()
    link.late.grad = numpy.ones(3, numpy.float32)
    for p in link.params():
        if p.grad is None and p.array is not None:
            p.zerograd()
    opt.update()
    numpy.testing.assert_array_equal(link.late.array, numpy.zeros(3, numpy.float32))
