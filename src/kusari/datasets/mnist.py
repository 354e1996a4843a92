"""MNIST: 70,000 handwritten digits, 28x28 grayscale, from the IDX files.

Example:
    >>> from kusari.datasets import get_mnist
    >>> train, test = get_mnist()  # doctest: +SKIP
    >>> train[0][0].shape  # doctest: +SKIP
    (784,)
"""

from __future__ import annotations

import gzip
import struct
from collections.abc import Sequence
from typing import Any

import numpy

from kusari.datasets import _helpers, tuple_dataset

_MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
_MNIST_FILES = {
    "train_x": ("train-images-idx3-ubyte.gz", "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_y": ("train-labels-idx1-ubyte.gz", "md5:d53e105ee54ea40749a09fcbcd1e9432"),
    "test_x": ("t10k-images-idx3-ubyte.gz", "md5:9fb629c4189551a2d022fa330f9573f3"),
    "test_y": ("t10k-labels-idx1-ubyte.gz", "md5:ec29112dd5afa0611ce80d1b7f02629c"),
}


def read_idx(path: str) -> numpy.ndarray:
    """Read a (gzipped) IDX file of unsigned bytes, the format of MNIST.

    Args:
        path: Path of the file.

    Returns:
        A uint8 array of the shape recorded in the header.

    Raises:
        ValueError: The header is not an IDX header of unsigned bytes, or the data
            is shorter than the header says.
    """
    opener = gzip.open if _is_gzip(path) else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"read_idx: {path} is not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    offset = 4 + 4 * ndim
    count = int(numpy.prod(shape))
    if len(data) - offset < count:
        raise ValueError(f"read_idx: {path} is truncated ({len(data) - offset} < {count} bytes)")
    return numpy.frombuffer(data, numpy.uint8, count, offset).reshape(shape)


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _retrieve(name: str, split: str, mirrors: Sequence[str], files: dict) -> dict:
    def create() -> dict[str, numpy.ndarray]:
        xname, xsum = files[f"{split}_x"]
        yname, ysum = files[f"{split}_y"]
        x = read_idx(_helpers.download_any([m + xname for m in mirrors], xsum))
        y = read_idx(_helpers.download_any([m + yname for m in mirrors], ysum))
        if len(x) != len(y):
            raise ValueError(f"{name}: {len(x)} images but {len(y)} labels")
        return {"x": x.reshape(len(x), -1), "y": y}

    return _helpers.cached_arrays(f"pfnet/chainer/{name}", f"{split}.npz", create)


def preprocess_images(
    raw: dict,
    withlabel: bool,
    ndim: int,
    scale: float,
    dtype: Any,
    label_dtype: Any,
    rgb_format: bool,
    side: int = 28,
    maximum: float = 255.0,
    who: str = "get_mnist",
) -> Any:
    """Shape, scale and pair the ``x``/``y`` arrays as Chainer's MNIST getters do."""
    images = raw["x"]
    if ndim == 2:
        images = images.reshape(-1, side, side)
    elif ndim == 3:
        images = images.reshape(-1, 1, side, side)
        if rgb_format:
            images = numpy.broadcast_to(images, (len(images), 3, side, side))
    elif ndim != 1:
        raise ValueError(f"{who}: ndim must be 1, 2 or 3, got {ndim!r}")
    images = _helpers.scale_images(images, dtype, scale, maximum)
    if withlabel:
        return tuple_dataset.TupleDataset(images, raw["y"].astype(label_dtype))
    return images


def get_mnist(
    withlabel: bool = True,
    ndim: int = 1,
    scale: float = 1.0,
    dtype: Any = None,
    label_dtype: Any = numpy.int32,
    rgb_format: bool = False,
) -> tuple[Any, Any]:
    """The MNIST dataset: 60,000 training and 10,000 test digits.

    Downloaded once (checksums verified) into ``<dataset root>/pfnet/chainer/mnist``,
    the directory Chainer uses.

    Args:
        withlabel: If True, return :class:`TupleDataset` of (image, label); else
            just the image arrays.
        ndim: 1 for ``(784,)`` vectors, 2 for ``(28, 28)``, 3 for ``(1, 28, 28)``.
        scale: Pixel values are scaled to ``[0, scale]``.
        dtype: Image dtype (default: ``kusari.config.dtype``, float32).
        label_dtype: Label dtype.
        rgb_format: With ``ndim=3``, repeat the channel to ``(3, 28, 28)``.

    Returns:
        ``(train, test)``.

    Raises:
        ValueError: ``ndim`` is not 1, 2 or 3, or a download fails its checksum.
        OSError: The files cannot be downloaded.

    Example:
        >>> train, test = get_mnist(ndim=3)  # doctest: +SKIP
        >>> train[0][0].shape, int(train[0][1])  # doctest: +SKIP
        ((1, 28, 28), 5)
    """
    return load_mnist_like("mnist", _MNIST_MIRRORS, _MNIST_FILES, "get_mnist",
                           withlabel, ndim, scale, dtype, label_dtype, rgb_format)


def load_mnist_like(name: str, mirrors: Sequence[str], files: dict, who: str,
                    withlabel: bool, ndim: int, scale: float, dtype: Any, label_dtype: Any,
                    rgb_format: bool) -> tuple[Any, Any]:
    """``(train, test)`` of an MNIST-format dataset (IDX files ``files`` from
    ``mirrors``, cached under ``pfnet/chainer/<name>``), shaped as :func:`get_mnist`
    does; ``who`` names the getter in errors.

    Raises:
        ValueError: ``ndim`` is not 1, 2 or 3.
    """
    if ndim not in (1, 2, 3):
        raise ValueError(f"{who}: ndim must be 1, 2 or 3, got {ndim!r}")
    args = (withlabel, ndim, scale, dtype, label_dtype, rgb_format)
    return tuple(
        preprocess_images(_retrieve(name, split, mirrors, files), *args, who=who)
        for split in ("train", "test")
    )
