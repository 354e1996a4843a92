"""Datasets: containers, splits, transforms, and getters for standard benchmarks.

Example:
    >>> from kusari import datasets
    >>> ds = datasets.TupleDataset([1, 2], [3, 4])
    >>> ds[0]
    (1, 3)
"""

from kusari.datasets.concatenated_dataset import ConcatenatedDataset
from kusari.datasets.dict_dataset import DictDataset
from kusari.datasets.sub_dataset import (
    SubDataset,
    get_cross_validation_datasets,
    get_cross_validation_datasets_random,
    split_dataset,
    split_dataset_n,
    split_dataset_n_random,
    split_dataset_random,
)
from kusari.datasets.transform_dataset import TransformDataset
from kusari.datasets.tuple_dataset import TupleDataset
