import itertools
import json

import numpy
import pytest

import kusari
from kusari import dataset
from kusari.dataset import TabularDataset, concat_examples, tabular
from kusari.iterators import SerialIterator

from ..iterators_tests import _chainer_ref


class Grid(TabularDataset):
    """4 rows x 3 columns ``a, b, c`` holding 0..11 row by row; records its calls."""

    def __init__(self, mode=tuple):
        self._mode = mode
        self.calls = []

    def __len__(self):
        return 4

    @property
    def keys(self):
        return ("a", "b", "c")

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        self.calls.append((indices, key_indices))
        data = numpy.arange(12).reshape(4, 3)
        if indices is not None:
            data = data[indices]
        if key_indices is not None:
            data = data[:, list(key_indices)]
        return tuple(list(map(int, col)) for col in data.T)


def _col(name, n, start=0):
    return tabular.from_data((name, list(range(start, start + n))))


def _plain(x):
    """Lists/arrays/tuples/dicts of numbers as plain Python values for comparisons."""
    if isinstance(x, numpy.ndarray):
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, numpy.generic):
        return x.item()
    return x


# ---- the base class ----------------------------------------------------------------


def test_exports():
    assert dataset.TabularDataset is TabularDataset
    assert kusari.dataset.tabular is tabular
    assert issubclass(tabular.DelegateDataset, TabularDataset)
    assert issubclass(TabularDataset, dataset.DatasetMixin)


def test_abstract_methods():
    ds = TabularDataset()
    with pytest.raises(NotImplementedError, match="__len__"):
        len(ds)
    with pytest.raises(NotImplementedError, match="keys"):
        _ = ds.keys
    with pytest.raises(NotImplementedError, match="mode"):
        _ = ds.mode
    with pytest.raises(NotImplementedError, match="get_examples"):
        ds.get_examples(None, None)


def test_examples_per_mode():
    ds = Grid()
    assert len(ds) == 4 and ds.keys == ("a", "b", "c")
    assert ds[1] == (3, 4, 5)
    assert ds.get_example(-1) == (9, 10, 11)
    assert ds[1:3] == [(3, 4, 5), (6, 7, 8)]
    assert ds[::-3] == [(9, 10, 11), (0, 1, 2)]
    assert ds[[3, 0]] == [(9, 10, 11), (0, 1, 2)]
    assert ds[numpy.array([2])] == [(6, 7, 8)]
    assert list(ds) == [(0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11)]
    assert ds.fetch() == ([0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11])

    d = Grid(dict)
    assert d[2] == {"a": 6, "b": 7, "c": 8}
    assert d.fetch() == {"a": [0, 3, 6, 9], "b": [1, 4, 7, 10], "c": [2, 5, 8, 11]}

    u = Grid(None)
    assert u[2] == 6 and u.fetch() == [0, 3, 6, 9]


def test_get_example_asks_for_one_row_and_checks_bounds():
    ds = Grid()
    ds[-2]
    assert ds.calls == [([2], None)]
    with pytest.raises(IndexError):
        ds[4]
    with pytest.raises(IndexError):
        ds[-5]


def test_astuple_asdict():
    ds = Grid(None)
    t, d = ds.astuple(), ds.asdict()
    assert (t.mode, d.mode) == (tuple, dict)
    assert t[0] == (0, 1, 2) and d[0] == {"a": 0, "b": 1, "c": 2}
    assert d.astuple().fetch() == ds.astuple().fetch()
    assert t.keys == d.keys == ds.keys and len(t) == len(d) == 4


# ---- convert / with_converter --------------------------------------------------------


def test_default_convert():
    ds = tabular.from_data({"a": [1, 2], "b": numpy.arange(2.0), "c": [numpy.ones(3)] * 2})
    out = ds.convert(ds.fetch())
    assert set(out) == {"a", "b", "c"}
    assert isinstance(out["a"], numpy.ndarray) and out["a"].tolist() == [1, 2]
    assert out["b"] is ds.fetch()["b"]  # arrays are kept as they are
    assert out["c"].shape == (2, 3)  # a list of arrays is stacked
    t = ds.astuple()
    a, b, c = t.convert(t.fetch())
    assert a.tolist() == [1, 2] and c.shape == (2, 3)
    assert ds.slice[:, "a"].convert([4, 5]).tolist() == [4, 5]
    assert ds.convert([]).shape == (0,)


def test_with_converter():
    ds = tabular.from_data((("a", [1, 2]), ("b", [3, 4])))
    tup = ds.with_converter(lambda a, b: ("t", a, b))
    assert tup.convert(tup.fetch()) == ("t", [1, 2], [3, 4])
    assert tup.keys == ds.keys and tup.mode is tuple and tup[1] == (2, 4)
    dic = ds.asdict().with_converter(lambda **kw: sorted(kw))
    assert dic.convert(dic.fetch()) == ["a", "b"]
    one = ds.slice[:, "b"].with_converter(lambda b: sum(b))
    assert one.convert(one.fetch()) == 7
    # views, concat and join keep the (first) converter
    assert tup.slice[1:].convert(tup.slice[1:].fetch()) == ("t", [2], [4])
    assert tup.astuple().convert((1, 2)) == ("t", 1, 2)
    assert tup.concat(ds).convert((1, 2)) == ("t", 1, 2)
    n_cols = ds.with_converter(lambda *cols: len(cols))
    assert n_cols.join(_col("c", 2)).convert((1, 2, 3)) == 3
    assert n_cols.transform(("x",), lambda a, b: a).convert(([0],)) == 1


# ---- from_data ----------------------------------------------------------------------


def test_from_data_single_columns():
    ds = tabular.from_data([3, 4, 5])
    assert ds.mode is None and len(ds.keys) == 1 and ds.keys[0].startswith("_")
    assert ds[1] == 4 and ds[1:] == [4, 5] and ds.fetch() == [3, 4, 5]
    arr = numpy.arange(6).reshape(3, 2)
    ds = tabular.from_data(("x", arr))
    assert ds.keys == ("x",) and ds.mode is None
    numpy.testing.assert_array_equal(ds[2], [4, 5])
    assert ds.fetch() is arr
    assert isinstance(ds.slice[1:].fetch(), numpy.ndarray)
    assert isinstance(ds.slice[[0, 2]].fetch(), numpy.ndarray)
    assert isinstance(tabular.from_data([1, 2]).slice[[1, 0]].fetch(), list)


def test_from_data_tuple_and_dict():
    arr = numpy.arange(3)
    ds = tabular.from_data((arr, ("b", [3, 4, 5]), ("c", lambda i: -i)))
    assert ds.mode is tuple and ds.keys[1:] == ("b", "c") and ds.keys[0] == f"_{id(arr)}"
    assert _plain(ds[2]) == (2, 5, -2)
    assert _plain(ds.fetch()) == ([0, 1, 2], [3, 4, 5], [0, -1, -2])
    assert tabular.from_data(([1, 2],)).mode is tuple

    ds = tabular.from_data({"a": [1, 2, 3], ("b", "c"): lambda i: (i, i * i)})
    assert ds.mode is dict and ds.keys == ("a", "b", "c")
    assert ds[2] == {"a": 3, "b": 2, "c": 4}


def test_from_data_callables():
    sq = tabular.from_data(("sq", lambda i: i * i), size=5)
    assert sq.keys == ("sq",) and sq.mode is None and len(sq) == 5
    assert sq[3] == 9 and sq[-1] == 16 and sq.fetch() == [0, 1, 4, 9, 16]
    pair = tabular.from_data((("x", "y"), lambda i: {"x": i, "y": -i}), size=3)
    assert pair.mode is dict and pair[1] == {"x": 1, "y": -1}
    assert pair.slice[:, "y"].fetch() == [0, -1, -2]
    # the size comes from the first list/array, or from ``size``
    ds = tabular.from_data((("f", lambda i: i + 10), ("a", [0, 0])))
    assert ds.fetch() == ([10, 11], [0, 0])


def test_from_data_errors():
    with pytest.raises(ValueError, match="size must be specified"):
        tabular.from_data(("a", lambda i: i))
    with pytest.raises(ValueError, match="key"):
        tabular.from_data(lambda i: i, size=3)
    with pytest.raises(ValueError, match="key"):
        tabular.from_data(([1, 2], lambda i: i))
    with pytest.raises(ValueError, match="same length"):
        tabular.from_data({"a": [1, 2], "b": [1, 2, 3]})
    with pytest.raises(TypeError, match="from_data"):
        tabular.from_data(3)


# ---- slice ------------------------------------------------------------------------------

ROW_SELECTIONS = [
    slice(None),
    slice(1, None),
    slice(None, None, -1),
    slice(3, 0, -2),
    slice(5, -9, 1),
    slice(2, 2),
    [2, 0, 2],
    [-1, -4],
    numpy.array([1, 3]),
    [True, False, True, True],
    numpy.array([False, True, False, True]),
    [],
]


@pytest.mark.parametrize("rows", ROW_SELECTIONS, ids=str)
def test_slice_rows(rows):
    ds = Grid()
    full = numpy.arange(12).reshape(4, 3)
    if isinstance(rows, list):  # numpy would read [] as a float index array
        rows_np = numpy.asarray(rows) if rows else numpy.zeros(0, int)
        expected = full[rows_np]
    else:
        expected = full[rows]
    view = ds.slice[rows]
    assert len(view) == len(expected) and view.mode is tuple and view.keys == ds.keys
    assert view.fetch() == tuple(list(map(int, c)) for c in expected.T)
    assert list(view) == [tuple(map(int, r)) for r in expected]


@pytest.mark.parametrize("outer", ROW_SELECTIONS[:10], ids=str)
@pytest.mark.parametrize("inner", [slice(None, None, -1), slice(1, None, 2), [0, -1]], ids=str)
def test_slice_of_slice(outer, inner):
    ds = tabular.from_data(("x", list(range(10, 14))))
    base = ds.slice[outer].fetch()
    if not base:
        return
    view = ds.slice[outer].slice[inner]
    expected = (
        [base[i] for i in range(len(base))[inner]]
        if isinstance(inner, slice)
        else [base[i] for i in inner]
    )
    assert view.fetch() == expected and len(view) == len(expected)
    assert [view[i] for i in range(len(view))] == expected


def test_slice_keys_and_unary():
    ds = Grid()
    one = ds.slice[:, "b"]
    assert one.mode is None and one.keys == ("b",) and one[1] == 4
    assert ds.slice[:, -1].fetch() == [2, 5, 8, 11]
    tup = ds.slice[:, ("b",)]
    assert tup.mode is tuple and tup[1] == (4,)
    view = ds.slice[[3, 2], ("c", 0)]
    assert view.keys == ("c", "a") and view[1] == (8, 6)
    assert view.asdict()[1] == {"c": 8, "a": 6}
    # a tuple of keys on a unary dataset gives tuple mode; dict mode is kept
    assert ds.slice[:, "a"].slice[:, (0,)].mode is tuple
    assert Grid(dict).slice[:, ("c", "a")][0] == {"c": 2, "a": 0}
    # nested key views ask the base only for the columns they need
    ds.calls.clear()
    assert ds.slice[1:, ("c", "b", "a")].slice[::2, (2, 0)].fetch() == ([3, 9], [5, 11])
    ((rows, cols),) = ds.calls
    assert range(4)[rows] == range(1, 4, 2) and cols == (0, 2)
    assert ds.slice[:, ("a", "a")][0] == (0, 0)


def test_slice_errors():
    ds = Grid()
    with pytest.raises(KeyError, match="d"):
        ds.slice[:, "d"]
    with pytest.raises(IndexError, match="keys"):
        ds.slice[:, 3]
    with pytest.raises(IndexError, match="keys"):
        ds.slice[:, (0, -4)]
    with pytest.raises(IndexError, match="out of bounds"):
        ds.slice[[4]]
    with pytest.raises(IndexError, match="out of bounds"):
        ds.slice[[-5]]
    with pytest.raises(ValueError, match="booleans"):
        ds.slice[[True, False]]


# ---- concat -----------------------------------------------------------------------------


def test_concat_basic():
    a = tabular.from_data({"x": numpy.arange(3), "y": [0, 1, 2]})
    b = tabular.from_data({"x": numpy.arange(3, 5), "y": [3, 4]}).astuple()
    c = a.concat(b)
    assert len(c) == 5 and c.keys == ("x", "y") and c.mode is dict
    assert _plain(c[3]) == {"x": 3, "y": 3} and _plain(c[-1]) == {"x": 4, "y": 4}
    assert _plain(c.fetch()) == {"x": [0, 1, 2, 3, 4], "y": [0, 1, 2, 3, 4]}
    assert _plain(c.slice[[4, 0, 3], "y"].fetch()) == [4, 0, 3]
    # a request inside one part is answered by that part as it is (an array here)
    assert isinstance(c.slice[1:3, "x"].fetch(), numpy.ndarray)
    assert isinstance(c.slice[[2, 0], "x"].fetch(), numpy.ndarray)
    assert isinstance(c.slice[[2, 3], "x"].fetch(), list)
    with pytest.raises(ValueError, match="same keys"):
        a.concat(_col("x", 2))
    with pytest.raises(IndexError):
        c.get_examples([5], None)


def test_concat_every_slice():
    parts = [_col("v", 3), _col("v", 0, 3), _col("v", 4, 3), _col("v", 2, 7)]
    c = parts[0].concat(*parts[1:])
    data = list(range(9))
    assert c.fetch() == data
    bounds = [None, -12, -9, -4, -1, 0, 1, 3, 5, 7, 8, 9, 12]
    for start, stop, step in itertools.product(bounds, bounds, [None, 1, 2, 3, 5, -1, -2, -4]):
        s = slice(start, stop, step)
        assert c.get_examples(s, None) == (data[s],), s
        assert len(c.slice[s]) == len(data[s])
    for rows in ([8, 0, 3, 3, 7], [-1, -9], [4], []):
        assert c.get_examples(rows, None) == ([data[i] for i in rows],)


# ---- join -------------------------------------------------------------------------------


def test_join():
    a = tabular.from_data(("a", [0, 1, 2]))
    bc = tabular.from_data({"b": [3, 4, 5], "c": numpy.arange(6, 9)})
    j = a.join(bc, tabular.from_data(("d", [9, 10, 11])))
    assert j.keys == ("a", "b", "c", "d") and j.mode is dict  # first non-None mode
    assert _plain(j[1]) == {"a": 1, "b": 4, "c": 7, "d": 10}
    assert a.join(tabular.from_data(("z", [1, 2, 3]))).mode is tuple
    assert a.join(bc.astuple()).mode is tuple
    view = j.slice[::-1, ("d", "b", "a", "b")]
    assert _plain(view.fetch()) == {"d": [11, 10, 9], "b": [5, 4, 3], "a": [2, 1, 0]}
    assert _plain(view[0]) == {"d": 11, "b": 5, "a": 2}
    assert _plain(view.astuple()[0]) == (11, 5, 2, 5)


def test_join_asks_each_part_once_for_its_columns():
    g, h = Grid(), Grid()
    j = tabular.from_data(("x", [0, 1, 2, 3])).join(g, _Renamed(h))
    assert j.keys == ("x", "a", "b", "c", "p", "q", "r")
    assert j.slice[[1], ("p", "b", "a", "b")].fetch() == ([3], [4], [3], [4])
    assert g.calls == [([1], (1, 0))]
    assert h.calls == [([1], (0,))]


class _Renamed(tabular.DelegateDataset):
    @property
    def keys(self):
        return ("p", "q", "r")


def test_join_errors():
    a = tabular.from_data(("a", [0, 1]))
    with pytest.raises(ValueError, match="same length"):
        a.join(tabular.from_data(("b", [0])))
    with pytest.raises(ValueError, match="unique"):
        a.join(tabular.from_data(("b", [0, 1])), tabular.from_data(("a", [0, 1])))


# ---- transform / transform_batch ----------------------------------------------------------


def test_transform_modes():
    ds = tabular.from_data((("a", [1, 2, 3]), ("b", [4, 5, 6])))
    t = ds.transform(("s", "d"), lambda a, b: (a + b, b - a))
    assert t.keys == ("s", "d") and t.mode is tuple and len(t) == 3
    assert t[0] == (5, 3) and t.fetch() == ([5, 7, 9], [3, 3, 3])
    assert t.slice[1:, "d"].fetch() == [3, 3]

    d = ds.asdict().transform(("p",), lambda **kw: {"p": kw["a"] * kw["b"], "extra": 0})
    assert d.mode is dict and d[2] == {"p": 18} and d.fetch() == {"p": [4, 10, 18]}

    n = ds.slice[:, "a"].transform("neg", lambda a: -a)
    assert n.keys == ("neg",) and n.mode is None and n[1] == -2 and n.fetch() == [-1, -2, -3]


def test_transform_is_lazy_and_per_requested_row():
    seen = []

    def f(a):
        seen.append(a)
        return {"x": a, "y": a * 2}

    t = tabular.from_data(("a", [1, 2, 3, 4])).transform(("x", "y"), f)
    assert seen == []
    assert t.slice[[3, 1], "y"].fetch() == [8, 4]
    assert seen == [4, 2]


def test_transform_must_keep_return_type():
    t = tabular.from_data(("a", [0, 1])).transform(("x",), lambda a: (a,) if a == 0 else a)
    with pytest.raises(ValueError, match="transform must not change its return type"):
        t.fetch()
    t = tabular.from_data(("a", [0, 1])).transform(("x",), lambda a: a if a == 1 else (a,))
    assert t[1] == 1
    with pytest.raises(ValueError, match="return type"):
        t[0]


def test_transform_batch():
    ds = tabular.from_data({"a": numpy.arange(4), "b": [1, 1, 2, 2]})
    tb = ds.transform_batch(("s", "n"), lambda a, b: (a + numpy.asarray(b), len(b) * [len(b)]))
    assert tb.mode is tuple and tb.keys == ("s", "n")
    assert _plain(tb.fetch()) == ([1, 2, 4, 5], [4, 4, 4, 4])
    assert _plain(tb[2]) == (4, 1)
    assert _plain(tb.slice[::2].fetch()) == ([1, 4], [2, 2])
    one = ds.transform_batch("c", lambda a, b: a * 2)
    assert one.mode is None and _plain(one.slice[[3, 1]].fetch()) == [6, 2]
    dic = ds.transform_batch(("c",), lambda a, b: {"c": list(b), "z": b})
    assert dic.mode is dict and dic[3] == {"c": 2}
    with pytest.raises(ValueError, match="length"):
        ds.transform_batch("c", lambda a, b: a[:1]).fetch()
    with pytest.raises(ValueError, match="length"):
        ds.transform_batch(("c",), lambda a, b: {"c": a, "z": [0]}).fetch()
    flip = ds.transform_batch("c", lambda a, b: a if len(a) == 1 else (a,))
    assert flip.mode is None
    with pytest.raises(ValueError, match="transform_batch must not change its return type"):
        flip.fetch()


# ---- DelegateDataset, iteration ---------------------------------------------------------------


def test_delegate_dataset():
    class MyDataset(tabular.DelegateDataset):
        def __init__(self):
            super().__init__(
                tabular.from_data(
                    (("a", numpy.arange(3)), ("b", self.get_b), (("c", "d"), self.get_cd))
                )
            )

        def get_b(self, i):
            return f"b{i}"

        def get_cd(self, i):
            return {"c": i, "d": -i}

    ds = MyDataset()
    assert len(ds) == 3 and ds.keys == ("a", "b", "c", "d") and ds.mode is tuple
    assert _plain(ds[2]) == (2, "b2", 2, -2)
    assert ds.slice[:, "b"].fetch() == ["b0", "b1", "b2"]
    assert isinstance(ds.dataset, TabularDataset)


def test_serial_iterator_with_concat_examples():
    ds = tabular.from_data(
        {"x": numpy.arange(10, dtype=numpy.float32).reshape(5, 2), "t": [0, 1, 0, 1, 1]}
    )
    it = SerialIterator(ds.astuple(), 2, repeat=False, shuffle=False)
    batches = [concat_examples(b) for b in it]
    assert [len(t) for _, t in batches] == [2, 2, 1]
    x, t = batches[1]
    assert x.dtype == numpy.float32 and x.tolist() == [[4, 5], [6, 7]] and t.tolist() == [0, 1]
    it = SerialIterator(ds, 5, repeat=False, shuffle=False)
    batch = concat_examples(it.next())
    assert set(batch) == {"x", "t"} and batch["x"].shape == (5, 2)


# ---- against the reference Chainer 7 ---------------------------------------------------------

PIPELINES = r"""
import json, sys
import numpy as np
if sys.argv[1] == 'kusari':
    from kusari.dataset import tabular
else:
    from chainer.dataset import tabular

def plain(x):
    if isinstance(x, np.ndarray):
        return ['array', x.tolist()]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, tuple):
        return ['tuple'] + [plain(v) for v in x]
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    return x

def mode(ds):
    return {tuple: 'tuple', dict: 'dict', None: 'none'}[ds.mode]

def record(ds):
    keys = ['_id' if k.startswith('_') else k for k in ds.keys]  # unnamed: '_' + id(data)
    return [len(ds), keys, mode(ds), plain(ds.fetch()), plain(ds.convert(ds.fetch())),
            plain(ds[0]), plain(ds[1:]), plain(ds[[len(ds) - 1, 0]]), plain(list(ds))]

a = tabular.from_data((('a', np.arange(6)), ('b', [5, 4, 3, 2, 1, 0])))
b = tabular.from_data((('a', np.arange(6, 9)), ('b', [9, 9, 9])))
c = tabular.from_data({'c': lambda i: i * 10, ('d', 'e'): lambda i: (i, -i)}, size=9)
cat = a.concat(b)
j = cat.join(c)
out = []
for ds in [
    a, c, cat, j, j.asdict(), j.slice[::2], j.slice[7:1:-2, ('e', 'a')], j.slice[[8, 0, 3], 'c'],
    cat.slice[[True, False] * 4 + [True]], cat.slice[1:8].slice[::-3],
    cat.slice[2:8].slice[[0, 5, 3], ('b',)],
    j.transform(('s',), lambda a, b, c, d, e: (a + b + c,)),
    j.asdict().transform(('p', 'q'), lambda **kw: {'p': kw['a'], 'q': kw['e']}),
    cat.transform('sq', lambda a, b: a * a),
    cat.transform_batch(('x', 'y'), lambda a, b: (np.asarray(a) * 2, list(b)[::-1])),
    cat.asdict().transform_batch('n', lambda a, b: np.asarray(a) + np.asarray(b)),
    cat.with_converter(lambda a, b: (np.sum(a), len(b))).slice[3:],
    tabular.from_data([[1, 2], [3, 4]]).astuple(),
]:
    out.append(record(ds))
print(json.dumps(out))
"""


@pytest.mark.chainer_ref
@_chainer_ref.needs_chainer
def test_pipelines_match_chainer():
    ours = _chainer_ref.run("kusari", PIPELINES)
    theirs = _chainer_ref.run("chainer", PIPELINES)
    assert len(ours) == len(theirs) == 18
    for i, (o, t) in enumerate(zip(ours, theirs)):
        assert json.dumps(o) == json.dumps(t), i
