import numpy
import pytest

from kusari.datasets import DictDataset, TupleDataset


def test_index_slice_list_array():
    x = numpy.arange(10).reshape(5, 2)
    y = numpy.arange(5) * 10
    ds = TupleDataset(x, y)
    assert len(ds) == 5
    a, b = ds[1]
    numpy.testing.assert_array_equal(a, [2, 3])
    assert b == 10
    assert [int(t) for _, t in ds[1:4]] == [10, 20, 30]
    assert [int(t) for _, t in ds[[4, 0]]] == [40, 0]
    assert [int(t) for _, t in ds[numpy.array([2])]] == [20]
    assert ds[-1][1] == 40


def test_errors():
    with pytest.raises(ValueError, match="no datasets"):
        TupleDataset()
    with pytest.raises(ValueError, match="dataset 1 has length 2, expected 3"):
        TupleDataset([1, 2, 3], [1, 2])


def test_dict_dataset():
    ds = DictDataset(x=numpy.arange(3), y=["a", "b", "c"])
    assert len(ds) == 3
    assert ds[2] == {"x": 2, "y": "c"}
    assert ds[0:2] == [{"x": 0, "y": "a"}, {"x": 1, "y": "b"}]
    with pytest.raises(ValueError, match="'y' has length 1, expected 2"):
        DictDataset(x=[1, 2], y=[1])
    with pytest.raises(ValueError, match="no datasets"):
        DictDataset()
