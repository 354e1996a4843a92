"""Image datasets read from zip archives: one archive, several, or with a label file.

A zip archive keeps a whole dataset in one file, which networked file systems serve far
better than thousands of small ones. Pillow decodes the images (the ``image`` extra).

Example:
    >>> from kusari.datasets import ZippedImageDataset
    >>> ds = ZippedImageDataset('images.zip')  # doctest: +SKIP
    >>> ds[0].shape  # doctest: +SKIP
    (3, 32, 32)
"""

from __future__ import annotations

import bisect
import io
import os
import threading
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy

from kusari.dataset import dataset_mixin
from kusari.datasets.image_dataset import _get_dtype, _pil_image, _read_image_as_array


class ZippedImageDataset(dataset_mixin.DatasetMixin):
    """Dataset of the images in a zip archive, in the archive's order, as
    ``(channels, height, width)`` arrays.

    The archive is opened once per process (a pickled copy sent to a worker process
    reopens it there); reads are serialized by a lock, so threads may share it.

    Args:
        zipfilename: Path of the archive; every member that is not a directory is an
            image.
        dtype: Image dtype (default ``config.dtype``).

    Raises:
        ImportError: Pillow is not installed.

    Example:
        >>> ds = ZippedImageDataset('images.zip', dtype='f')  # doctest: +SKIP
        >>> ds.get_example('cat/001.png').shape  # doctest: +SKIP
        (3, 32, 32)
    """

    def __init__(self, zipfilename: str | os.PathLike, dtype: Any = None) -> None:
        _pil_image()
        self._zipfilename = os.fspath(zipfilename)
        self._dtype = _get_dtype(dtype)
        self._zf: zipfile.ZipFile | None = zipfile.ZipFile(self._zipfilename)
        self._zf_pid = os.getpid()
        self._paths = [n for n in self._zf.namelist() if not n.endswith("/")]
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._paths)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_zf"] = state["_lock"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def get_example(self, i: int | str) -> numpy.ndarray:
        """The ``i``-th image, or the member named ``i``.

        Raises:
            KeyError: No member has that name.
        """
        name = self._paths[i] if isinstance(i, (int, numpy.integer)) else i
        with self._lock:  # Pillow seeks, which a zip member stream cannot: read it whole
            if self._zf is None or self._zf_pid != os.getpid():
                self._zf = zipfile.ZipFile(self._zipfilename)
                self._zf_pid = os.getpid()
            data = self._zf.read(name)
        return _read_image_as_array(io.BytesIO(data), self._dtype)


class MultiZippedImageDataset(dataset_mixin.DatasetMixin):
    """The images of several zip archives, one after the other.

    Args:
        zipfilenames: Paths of the archives.
        dtype: Image dtype (default ``config.dtype``).

    Example:
        >>> ds = MultiZippedImageDataset(['a.zip', 'b.zip'])  # doctest: +SKIP
        >>> len(ds)  # doctest: +SKIP
        2000
    """

    def __init__(self, zipfilenames: Sequence[str | os.PathLike], dtype: Any = None) -> None:
        self._zfs = [ZippedImageDataset(name, dtype) for name in zipfilenames]
        self._starts = [0]
        for zf in self._zfs:
            self._starts.append(self._starts[-1] + len(zf))

    def __len__(self) -> int:
        return self._starts[-1]

    def get_example(self, i: int) -> numpy.ndarray:
        k = bisect.bisect(self._starts, i) - 1
        return self._zfs[k].get_example(i - self._starts[k])


class LabeledZippedImageDataset(dataset_mixin.DatasetMixin):
    """Dataset of ``(image, label)`` pairs: images from a zip archive, labels from a text
    file of ``name label`` lines (names of archive members).

    Args:
        zipfilename: Path of the archive.
        labelfilename: Path of the label file.
        dtype: Image dtype (default ``config.dtype``).
        label_dtype: Label dtype.

    Raises:
        ValueError: A line of the label file is not ``name label``.
        ImportError: Pillow is not installed.

    Example:
        >>> ds = LabeledZippedImageDataset('images.zip', 'labels.txt')  # doctest: +SKIP
        >>> image, label = ds[0]  # doctest: +SKIP
    """

    def __init__(self, zipfilename: str | os.PathLike, labelfilename: str | os.PathLike,
                 dtype: Any = None, label_dtype: Any = numpy.int32) -> None:
        pairs = []
        with open(labelfilename, encoding="utf-8") as f:
            for n, line in enumerate(f):
                fields = line.split()
                if len(fields) != 2:
                    raise ValueError(f"LabeledZippedImageDataset: line {n} of {labelfilename} "
                                     f"must be 'name label', got {line.strip()!r}")
                pairs.append((fields[0], int(fields[1])))
        self._pairs = pairs
        self._label_dtype = label_dtype
        self._zipfile = ZippedImageDataset(zipfilename, dtype=dtype)

    def __len__(self) -> int:
        return len(self._pairs)

    def get_example(self, i: int) -> tuple[numpy.ndarray, numpy.ndarray]:
        name, label = self._pairs[i]
        return self._zipfile.get_example(name), numpy.array(label, dtype=self._label_dtype)
