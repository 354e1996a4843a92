"""Dataset utilities: converters, the iterator base, DatasetMixin and downloads.

Example:
    >>> import numpy
    >>> from kusari import dataset
    >>> dataset.concat_examples([numpy.zeros(2), numpy.ones(2)]).shape
    (2, 2)
"""

from kusari.dataset import convert, dataset_mixin, download, iterator, tabular
from kusari.dataset.convert import (
    ConcatWithAsyncTransfer,
    Converter,
    concat_examples,
    converter,
    to_device,
)
from kusari.dataset.dataset_mixin import DatasetMixin
from kusari.dataset.download import (
    cache_or_load_file,
    cached_download,
    get_dataset_directory,
    get_dataset_root,
    set_dataset_root,
)
from kusari.dataset.iterator import Iterator
from kusari.dataset.tabular.tabular_dataset import TabularDataset
