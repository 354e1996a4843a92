"""Datasets: containers, splits, transforms, and getters for standard benchmarks.

Example:
    >>> from kusari import datasets
    >>> ds = datasets.TupleDataset([1, 2], [3, 4])
    >>> ds[0]
    (1, 3)
"""

from kusari.datasets.cifar import get_cifar10, get_cifar100
from kusari.datasets.concatenated_dataset import ConcatenatedDataset
from kusari.datasets.dict_dataset import DictDataset
from kusari.datasets.digits import get_digits
from kusari.datasets.fashion_mnist import get_fashion_mnist, get_fashion_mnist_labels
from kusari.datasets.image_dataset import ImageDataset, LabeledImageDataset
from kusari.datasets.kuzushiji_mnist import get_kuzushiji_mnist, get_kuzushiji_mnist_labels
from kusari.datasets.mnist import get_mnist
from kusari.datasets.ptb import get_ptb_words, get_ptb_words_vocabulary
from kusari.datasets.sub_dataset import (
    SubDataset,
    get_cross_validation_datasets,
    get_cross_validation_datasets_random,
    split_dataset,
    split_dataset_n,
    split_dataset_n_random,
    split_dataset_random,
)
from kusari.datasets.svhn import get_svhn
from kusari.datasets.text_dataset import TextDataset
from kusari.datasets.transform_dataset import TransformDataset
from kusari.datasets.tuple_dataset import TupleDataset
from kusari.datasets.zipped_image_dataset import (
    LabeledZippedImageDataset,
    MultiZippedImageDataset,
    ZippedImageDataset,
)
