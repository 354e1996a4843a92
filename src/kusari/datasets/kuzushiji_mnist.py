"""Kuzushiji-MNIST: 70,000 28x28 grayscale images of cursive Japanese characters.

Example:
    >>> from kusari.datasets import get_kuzushiji_mnist_labels
    >>> get_kuzushiji_mnist_labels()[0]
    ('o', 'お')
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.datasets import mnist

# CODH's site, as Chainer reads it, then CODH's mirror on Google Cloud Storage. Neither
# publishes checksums (Chainer verifies none either); the IDX reader checks the format.
_MIRRORS = (
    "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
    "https://storage.googleapis.com/kuzushiji-mnist/",
)
_FILES = {
    "train_x": ("train-images-idx3-ubyte.gz", None),
    "train_y": ("train-labels-idx1-ubyte.gz", None),
    "test_x": ("t10k-images-idx3-ubyte.gz", None),
    "test_y": ("t10k-labels-idx1-ubyte.gz", None),
}

#: Class names by label: the character's name in romaji and the character.
labels = [("o", "お"), ("ki", "き"), ("su", "す"), ("tsu", "つ"), ("na", "な"),
          ("ha", "は"), ("ma", "ま"), ("ya", "や"), ("re", "れ"), ("wo", "を")]


def get_kuzushiji_mnist_labels() -> list[tuple[str, str]]:
    """The classes of Kuzushiji-MNIST by label, as ``(romaji, character)`` pairs.

    Example:
        >>> [name for name, _ in get_kuzushiji_mnist_labels()][:3]
        ['o', 'ki', 'su']
    """
    return labels


def get_kuzushiji_mnist(
    withlabel: bool = True,
    ndim: int = 1,
    scale: float = 1.0,
    dtype: Any = None,
    label_dtype: Any = numpy.int32,
    rgb_format: bool = False,
) -> tuple[Any, Any]:
    """The Kuzushiji-MNIST dataset: 60,000 training and 10,000 test images.

    Same arguments and layout as :func:`~kusari.datasets.get_mnist`; cached in
    ``<dataset root>/pfnet/chainer/kuzushiji_mnist`` (Chainer's folder).

    Args:
        withlabel: If True, return (image, label) pairs.
        ndim: 1, 2 or 3 (see :func:`~kusari.datasets.get_mnist`).
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
        >>> train, test = get_kuzushiji_mnist(ndim=3)  # doctest: +SKIP
    """
    return mnist.load_mnist_like("kuzushiji_mnist", _MIRRORS, _FILES, "get_kuzushiji_mnist",
                                 withlabel, ndim, scale, dtype, label_dtype, rgb_format)
