"""CIFAR-10 and CIFAR-100: 32x32 colour images, from the official python archives.

The archives hold Python pickles of NumPy arrays; they are read with an
unpickler that can only build NumPy arrays and plain containers, after the
archive's checksum has been verified.

Example:
    >>> from kusari.datasets import get_cifar10
    >>> train, test = get_cifar10()  # doctest: +SKIP
    >>> train[0][0].shape  # doctest: +SKIP
    (3, 32, 32)
"""

from __future__ import annotations

import tarfile
from typing import Any

import numpy

from kusari.datasets import _helpers, tuple_dataset

_CIFAR10 = (
    "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    "md5:c58f30108f718f92721af3b95e74349a",
)
_CIFAR100 = (
    "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
    "md5:eb9058c3a382ffc7106e4002c42a8d85",
)


def _read_batches(archive: str, members: list[str], label_key: bytes) -> tuple:
    xs, ys = [], []
    with tarfile.open(archive, "r:gz") as tar:
        names = {m.name.split("/", 1)[-1]: m for m in tar.getmembers() if m.isfile()}
        for member in members:
            if member not in names:
                raise ValueError(f"CIFAR archive {archive} has no member {member!r}")
            d = _helpers.restricted_unpickle(tar.extractfile(names[member]).read())
            xs.append(numpy.asarray(d[b"data"], dtype=numpy.uint8).reshape(-1, 3072))
            ys.append(numpy.asarray(d[label_key], dtype=numpy.uint8))
    return numpy.concatenate(xs), numpy.concatenate(ys)


def _retrieve_cifar(name: str) -> dict[str, numpy.ndarray]:
    def create() -> dict[str, numpy.ndarray]:
        if name == "cifar-10":
            url, checksum = _CIFAR10
            train = [f"data_batch_{i}" for i in range(1, 6)]
            test, key = ["test_batch"], b"labels"
        else:
            url, checksum = _CIFAR100
            train, test, key = ["train"], ["test"], b"fine_labels"
        archive = _helpers.download_any([url], checksum)
        train_x, train_y = _read_batches(archive, train, key)
        test_x, test_y = _read_batches(archive, test, key)
        return {"train_x": train_x, "train_y": train_y, "test_x": test_x, "test_y": test_y}

    return _helpers.cached_arrays("pfnet/chainer/cifar", f"{name}.npz", create)


def _preprocess(
    images: numpy.ndarray, labels: numpy.ndarray, withlabel: bool, ndim: int, scale: float,
    dtype: Any, who: str,
) -> Any:  # fmt: skip
    if ndim == 1:
        images = images.reshape(-1, 3072)
    elif ndim == 3:
        images = images.reshape(-1, 3, 32, 32)
    else:
        raise ValueError(f"{who}: ndim must be 1 or 3, got {ndim!r}")
    images = _helpers.scale_images(images, dtype, scale, 255.0)
    if withlabel:
        return tuple_dataset.TupleDataset(images, labels.astype(numpy.int32))
    return images


def _get(name: str, withlabel: bool, ndim: int, scale: float, dtype: Any, who: str) -> tuple:
    if ndim not in (1, 3):
        raise ValueError(f"{who}: ndim must be 1 or 3, got {ndim!r}")
    raw = _retrieve_cifar(name)
    return (
        _preprocess(raw["train_x"], raw["train_y"], withlabel, ndim, scale, dtype, who),
        _preprocess(raw["test_x"], raw["test_y"], withlabel, ndim, scale, dtype, who),
    )


def get_cifar10(
    withlabel: bool = True, ndim: int = 3, scale: float = 1.0, dtype: Any = None
) -> tuple[Any, Any]:
    """The CIFAR-10 dataset: 50,000 training and 10,000 test images in 10 classes.

    Cached in ``<dataset root>/pfnet/chainer/cifar/cifar-10.npz`` (Chainer's layout).

    Args:
        withlabel: If True, return (image, int32 label) pairs.
        ndim: 3 for ``(3, 32, 32)`` images, 1 for ``(3072,)`` vectors.
        scale: Pixel values are scaled to ``[0, scale]``.
        dtype: Image dtype (default float32).

    Returns:
        ``(train, test)``.

    Raises:
        ValueError: ``ndim`` is not 1 or 3, or the archive is malformed.
        OSError: The archive cannot be downloaded.

    Example:
        >>> train, test = get_cifar10(withlabel=False)  # doctest: +SKIP
        >>> train.shape  # doctest: +SKIP
        (50000, 3, 32, 32)
    """
    return _get("cifar-10", withlabel, ndim, scale, dtype, "get_cifar10")


def get_cifar100(
    withlabel: bool = True, ndim: int = 3, scale: float = 1.0, dtype: Any = None
) -> tuple[Any, Any]:
    """The CIFAR-100 dataset: 50,000 training and 10,000 test images, 100 fine labels.

    Args:
        withlabel: If True, return (image, int32 fine label) pairs.
        ndim: 3 for ``(3, 32, 32)`` images, 1 for ``(3072,)`` vectors.
        scale: Pixel values are scaled to ``[0, scale]``.
        dtype: Image dtype (default float32).

    Returns:
        ``(train, test)``.

    Raises:
        ValueError: ``ndim`` is not 1 or 3, or the archive is malformed.
        OSError: The archive cannot be downloaded.

    Example:
        >>> train, test = get_cifar100()  # doctest: +SKIP
    """
    return _get("cifar-100", withlabel, ndim, scale, dtype, "get_cifar100")
