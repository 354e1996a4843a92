import numpy
import pytest

from kusari import datasets
from kusari.datasets import (
    ConcatenatedDataset,
    SubDataset,
    TransformDataset,
    get_cross_validation_datasets,
    get_cross_validation_datasets_random,
    split_dataset,
    split_dataset_n,
    split_dataset_n_random,
    split_dataset_random,
)

DS = list(range(10))


def test_sub_dataset_indexing():
    s = SubDataset(DS, 2, 5)
    assert len(s) == 3
    assert s[0] == 2 and s[-1] == 4
    assert s[0:2] == [2, 3] and s[[0, 2]] == [2, 4]
    with pytest.raises(IndexError, match="out of range"):
        s[3]
    with pytest.raises(IndexError, match="out of range"):
        s[-4]
    r = SubDataset(DS, 0, 3, order=list(range(9, -1, -1)))
    assert r[:] == [9, 8, 7]
    with pytest.raises(ValueError, match="len\\(order\\) = 2 while len\\(dataset\\) = 10"):
        SubDataset(DS, 0, 3, order=[1, 2])


def test_split_dataset_and_errors():
    a, b = split_dataset(DS, 4)
    assert a[:] == [0, 1, 2, 3] and b[:] == list(range(4, 10))
    with pytest.raises(ValueError, match="exceeds the dataset size"):
        split_dataset(DS, 11)
    with pytest.raises(ValueError, match="non-negative"):
        split_dataset(DS, -1)
    with pytest.raises(TypeError, match="split_at must be int"):
        split_dataset(DS, 2.0)


# Expected values recorded from Chainer 7.8.1.
def test_random_splits_match_chainer():
    a, b = split_dataset_random(DS, 4, seed=3)
    assert a[:] == [5, 4, 1, 2] and b[:] == [9, 6, 7, 0, 3, 8]
    assert [p[:] for p in split_dataset_n_random(DS, 3, seed=3)] == [
        [5, 4, 1], [2, 9, 6], [7, 0, 3]
    ]  # fmt: skip
    folds = get_cross_validation_datasets_random(DS, 3, seed=3)
    assert [(tr[:], te[:]) for tr, te in folds] == [
        ([5, 4, 1, 2, 9, 6], [7, 0, 3, 8]),
        ([7, 0, 3, 8, 5, 4, 1], [2, 9, 6]),
        ([2, 9, 6, 7, 0, 3, 8], [5, 4, 1]),
    ]


def test_split_n_and_cross_validation_match_chainer():
    assert [p[:] for p in split_dataset_n(DS, 3)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    folds = get_cross_validation_datasets(DS, 3, order=[3, 1, 4, 0, 9, 2, 6, 5, 8, 7])
    assert [(tr[:], te[:]) for tr, te in folds] == [
        ([3, 1, 4, 0, 9, 2], [6, 5, 8, 7]),
        ([6, 5, 8, 7, 3, 1, 4], [0, 9, 2]),
        ([0, 9, 2, 6, 5, 8, 7], [3, 1, 4]),
    ]
    assert len(get_cross_validation_datasets(DS, n_fold=2)) == 2
    with pytest.raises(ValueError, match="n_folds"):
        get_cross_validation_datasets(DS)
    with pytest.raises(ValueError, match="n must be positive"):
        split_dataset_n(DS, 0)


def test_cross_validation_covers_everything():
    for train, test in get_cross_validation_datasets(DS, 4):
        assert sorted(train[:] + test[:]) == DS


def test_transform_dataset():
    ds = TransformDataset(numpy.arange(4), lambda x: (x, x * x))
    assert len(ds) == 4
    assert ds[3] == (3, 9)
    assert ds[1:3] == [(1, 1), (2, 4)]


def test_concatenated_dataset():
    ds = ConcatenatedDataset([0, 1], [], [2, 3, 4])
    assert len(ds) == 5
    assert ds[:] == [0, 1, 2, 3, 4]
    assert ds[-1] == 4 and ds[2] == 2
    with pytest.raises(IndexError, match="out of range"):
        ds[5]
    assert len(ConcatenatedDataset()) == 0


def test_public_names():
    for name in [
        "TupleDataset", "DictDataset", "SubDataset", "TransformDataset", "ConcatenatedDataset",
        "ImageDataset", "LabeledImageDataset", "TextDataset", "get_mnist", "get_fashion_mnist",
        "get_cifar10", "get_cifar100", "get_ptb_words", "get_ptb_words_vocabulary", "get_svhn",
        "get_digits", "split_dataset", "split_dataset_random", "split_dataset_n",
        "split_dataset_n_random", "get_cross_validation_datasets",
        "get_cross_validation_datasets_random",
    ]:  # fmt: skip
        assert hasattr(datasets, name), name
