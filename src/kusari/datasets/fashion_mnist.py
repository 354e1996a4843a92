"""Fashion-MNIST: 70,000 28x28 grayscale images of clothes in 10 classes.

Example:
    >>> from kusari.datasets import get_fashion_mnist
    >>> train, test = get_fashion_mnist()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.datasets import mnist

_MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)
_FILES = {
    "train_x": ("train-images-idx3-ubyte.gz", "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
    "train_y": ("train-labels-idx1-ubyte.gz", "md5:25c81989df183df01b3e8a0aad5dffbe"),
    "test_x": ("t10k-images-idx3-ubyte.gz", "md5:bef4ecab320f06d8554ea6380940ec79"),
    "test_y": ("t10k-labels-idx1-ubyte.gz", "md5:bb300cfdad3c16e7a12a480ee83cd310"),
}

#: Class names, by label.
labels = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


def get_fashion_mnist_labels() -> tuple[str, ...]:
    """The class names of Fashion-MNIST, by label."""
    return labels


def get_fashion_mnist(
    withlabel: bool = True,
    ndim: int = 1,
    scale: float = 1.0,
    dtype: Any = None,
    label_dtype: Any = numpy.int32,
    rgb_format: bool = False,
) -> tuple[Any, Any]:
    """The Fashion-MNIST dataset: 60,000 training and 10,000 test images.

    Same arguments and layout as :func:`~kusari.datasets.get_mnist`; cached in
    ``<dataset root>/pfnet/chainer/fashion-mnist``.

    Args:
        withlabel: If True, return (image, label) pairs.
        ndim: 1, 2 or 3 (see :func:`get_mnist`).
        scale: Pixel values are scaled to ``[0, scale]``.
        dtype: Image dtype (default float32).
        label_dtype: Label dtype.
        rgb_format: With ``ndim=3``, repeat the channel three times.

    Returns:
        ``(train, test)``.

    Raises:
        ValueError: ``ndim`` is not 1, 2 or 3.
        OSError: The files cannot be downloaded.

    Example:
        >>> train, test = get_fashion_mnist(ndim=2)  # doctest: +SKIP
    """
    return mnist.load_mnist_like("fashion-mnist", _MIRRORS, _FILES, "get_fashion_mnist",
                                 withlabel, ndim, scale, dtype, label_dtype, rgb_format)
