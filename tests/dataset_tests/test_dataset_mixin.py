import numpy
import pytest

from kusari.dataset import DatasetMixin


class Squares(DatasetMixin):
    def __len__(self):
        return 6

    def get_example(self, i):
        return i * i


def test_indexing():
    ds = Squares()
    assert ds[3] == 9
    assert ds[1:4] == [1, 4, 9]
    assert ds[::-2] == [25, 9, 1]
    assert ds[[5, 0]] == [25, 0]
    assert ds[numpy.array([2, 1])] == [4, 1]


def test_abstract_methods():
    with pytest.raises(NotImplementedError, match="get_example"):
        DatasetMixin().get_example(0)
    with pytest.raises(NotImplementedError, match="__len__"):
        len(DatasetMixin())
