"""SVHN: street view house numbers, 32x32 colour digits, from the MATLAB files.

Example:
    >>> from kusari.datasets import get_svhn
    >>> train, test = get_svhn()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.datasets import _helpers, tuple_dataset

_BASE = "http://ufldl.stanford.edu/housenumbers/"
_FILES = {
    "train": ("train_32x32.mat", "md5:e26dedcc434d2e4c54c9b2d4a06d8373"),
    "test": ("test_32x32.mat", "md5:eb5a983be6a315427106f1b164d9cef3"),
    "extra": ("extra_32x32.mat", "md5:a93ce644f1a588dc4d68dda5feec44a7"),
}


def _loadmat() -> Any:
    try:
        from scipy.io import loadmat
    except ImportError as e:
        raise ImportError(
            "get_svhn needs SciPy to read the MATLAB files: pip install scipy "
            "(the 'digits' extra, pip install 'kusari[digits]', includes it)"
        ) from e
    return loadmat


def _retrieve(split: str) -> dict[str, numpy.ndarray]:
    def create() -> dict[str, numpy.ndarray]:
        loadmat = _loadmat()
        name, checksum = _FILES[split]
        mat = loadmat(_helpers.download_any([_BASE + name], checksum))
        return {
            "x": numpy.asarray(mat["X"], numpy.uint8),
            "y": numpy.asarray(mat["y"], numpy.uint8),
        }

    _loadmat()
    return _helpers.cached_arrays("pfnet/chainer/svhn", f"{split}.npz", create)


def _preprocess(raw: dict, withlabel: bool, scale: float, dtype: Any, label_dtype: Any) -> Any:
    images = raw["x"].transpose(3, 2, 0, 1)  # (32, 32, 3, N) -> (N, 3, 32, 32)
    images = _helpers.scale_images(images, dtype, scale, 255.0)
    if not withlabel:
        return images
    labels = raw["y"].astype(label_dtype).ravel()
    labels[labels == 10] = 0  # the file labels digit 0 as 10
    return tuple_dataset.TupleDataset(images, labels)


def get_svhn(
    withlabel: bool = True,
    scale: float = 1.0,
    dtype: Any = None,
    label_dtype: Any = numpy.int32,
    add_extra: bool = False,
) -> tuple:
    """The SVHN dataset (cropped digits): 73,257 training and 26,032 test images.

    Images are ``(3, 32, 32)``; labels are the digits 0-9.

    Args:
        withlabel: If True, return (image, label) pairs.
        scale: Pixel values are scaled to ``[0, scale]``.
        dtype: Image dtype (default float32).
        label_dtype: Label dtype.
        add_extra: Also return the 531,131 extra training images.

    Returns:
        ``(train, test)``, or ``(train, test, extra)`` with ``add_extra``.

    Raises:
        ImportError: SciPy is not installed.
        OSError: The files cannot be downloaded.

    Example:
        >>> train, test = get_svhn()  # doctest: +SKIP
        >>> train[0][0].shape  # doctest: +SKIP
        (3, 32, 32)
    """
    splits = ("train", "test", "extra") if add_extra else ("train", "test")
    return tuple(_preprocess(_retrieve(s), withlabel, scale, dtype, label_dtype) for s in splits)
