"""ImageDataset and LabeledImageDataset: images read from files with Pillow.

Pillow is optional: install the ``image`` extra (``pip install 'kusari[image]'``).

Example:
    >>> from kusari.datasets import ImageDataset
    >>> ds = ImageDataset(['a.png', 'b.png'], root='images')  # doctest: +SKIP
    >>> ds[0].shape  # doctest: +SKIP
    (3, 32, 32)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy

from kusari.dataset import dataset_mixin


def _pil_image() -> Any:
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            "ImageDataset and LabeledImageDataset need Pillow: install the 'image' extra "
            "(pip install 'kusari[image]')"
        ) from e
    return Image


def _read_image_as_array(path: str, dtype: Any) -> numpy.ndarray:
    image_module = _pil_image()
    with image_module.open(path) as f:
        image = numpy.asarray(f, dtype=dtype)
    if image.ndim == 2:
        return image[numpy.newaxis]  # (1, H, W)
    return image.transpose(2, 0, 1)  # (C, H, W)


def _read_list(paths: str | os.PathLike | Sequence[Any]) -> list:
    if isinstance(paths, (str, os.PathLike)):
        with open(paths, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    return list(paths)


def _get_dtype(dtype: Any) -> Any:
    import kusari

    return kusari.get_dtype(dtype)


class ImageDataset(dataset_mixin.DatasetMixin):
    """Dataset of images read from files, as ``(channels, height, width)`` arrays.

    Grayscale images get one channel; colour images keep theirs (RGB, RGBA).

    Args:
        paths: A list of image paths, or the path of a text file with one image
            path per line.
        root: Directory the paths are relative to.
        dtype: Array dtype (default: ``kusari.config.dtype``, float32).

    Raises:
        ImportError: Pillow is not installed (install the ``image`` extra).

    Example:
        >>> ds = ImageDataset('list.txt', root='data')  # doctest: +SKIP
    """

    def __init__(
        self, paths: str | os.PathLike | Sequence[str], root: str = ".", dtype: Any = None
    ) -> None:
        _pil_image()
        self._paths = _read_list(paths)
        self._root = root
        self._dtype = _get_dtype(dtype)

    def __len__(self) -> int:
        return len(self._paths)

    def get_example(self, i: int) -> numpy.ndarray:
        """The ``i``-th image as a ``(C, H, W)`` array."""
        return _read_image_as_array(os.path.join(self._root, self._paths[i]), self._dtype)


class LabeledImageDataset(dataset_mixin.DatasetMixin):
    """Dataset of ``(image, label)`` pairs read from files.

    Args:
        pairs: A list of ``(path, label)`` pairs, or the path of a text file whose
            lines are ``path label`` (separated by whitespace).
        root: Directory the paths are relative to.
        dtype: Image dtype (default float32).
        label_dtype: Label dtype.

    Raises:
        ImportError: Pillow is not installed (install the ``image`` extra).
        ValueError: A line of the list file is not ``path label``.

    Example:
        >>> ds = LabeledImageDataset([('cat.png', 0)], root='data')  # doctest: +SKIP
    """

    def __init__(
        self,
        pairs: str | os.PathLike | Sequence[tuple[str, int]],
        root: str = ".",
        dtype: Any = None,
        label_dtype: Any = numpy.int32,
    ) -> None:
        _pil_image()
        if isinstance(pairs, (str, os.PathLike)):
            parsed = []
            for n, line in enumerate(_read_list(pairs), 1):
                fields = line.split()
                if len(fields) != 2:
                    raise ValueError(
                        f"LabeledImageDataset: line {n} of {pairs} must be 'path label', "
                        f"got {line!r}"
                    )
                parsed.append((fields[0], int(fields[1])))
            pairs = parsed
        self._pairs = list(pairs)
        self._root = root
        self._dtype = _get_dtype(dtype)
        self._label_dtype = label_dtype

    def __len__(self) -> int:
        return len(self._pairs)

    def get_example(self, i: int) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The ``i``-th ``(image, label)`` pair."""
        path, label = self._pairs[i]
        image = _read_image_as_array(os.path.join(self._root, path), self._dtype)
        return image, numpy.array(label, dtype=self._label_dtype)
