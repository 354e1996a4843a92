"""Digits: scikit-learn's bundled 8x8 handwritten digits, an offline real dataset.

1,797 images with values 0-16 (UCI optical recognition of handwritten digits),
split deterministically into 1,438 training and 359 test examples. It needs
scikit-learn (the ``digits`` extra) but no network, which makes it handy for
tutorials and tests.

Example:
    >>> from kusari.datasets import get_digits
    >>> train, test = get_digits()
    >>> len(train), len(test), train[0][0].shape
    (1438, 359, (64,))
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari.datasets import mnist

_N_TRAIN = 1438  # 80 %


def _load_digits() -> tuple[numpy.ndarray, numpy.ndarray]:
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:
        raise ImportError(
            "get_digits needs scikit-learn: install the 'digits' extra "
            "(pip install 'kusari[digits]')"
        ) from e
    bunch = load_digits()
    return numpy.asarray(bunch.data, numpy.uint8), numpy.asarray(bunch.target, numpy.uint8)


def get_digits(
    withlabel: bool = True,
    ndim: int = 1,
    scale: float = 1.0,
    dtype: Any = None,
    label_dtype: Any = numpy.int32,
    rgb_format: bool = False,
) -> tuple[Any, Any]:
    """The 8x8 digits dataset, as ``(train, test)`` like :func:`get_mnist`.

    The split is fixed: a permutation drawn with ``RandomState(0)``, its first
    1,438 examples for training and the remaining 359 for testing.

    Args:
        withlabel: If True, return :class:`TupleDataset` of (image, label).
        ndim: 1 for ``(64,)`` vectors, 2 for ``(8, 8)``, 3 for ``(1, 8, 8)``.
        scale: Pixel values (0-16 in the data) are scaled to ``[0, scale]``.
        dtype: Image dtype (default: ``kusari.config.dtype``, float32).
        label_dtype: Label dtype.
        rgb_format: With ``ndim=3``, repeat the channel to ``(3, 8, 8)``.

    Returns:
        ``(train, test)``.

    Raises:
        ImportError: scikit-learn is not installed (install the ``digits`` extra).
        ValueError: ``ndim`` is not 1, 2 or 3.

    Example:
        >>> train, test = get_digits(ndim=3, scale=255.0)
        >>> x, t = train[0]
        >>> x.shape, float(x.max()) <= 255.0, t.dtype
        ((1, 8, 8), True, dtype('int32'))
    """
    if ndim not in (1, 2, 3):
        raise ValueError(f"get_digits: ndim must be 1, 2 or 3, got {ndim!r}")
    x, y = _load_digits()
    order = numpy.random.RandomState(0).permutation(len(x))
    train, test = order[:_N_TRAIN], order[_N_TRAIN:]
    args = (withlabel, ndim, scale, dtype, label_dtype, rgb_format)
    kwargs = {"side": 8, "maximum": 16.0, "who": "get_digits"}
    return (
        mnist.preprocess_images({"x": x[train], "y": y[train]}, *args, **kwargs),
        mnist.preprocess_images({"x": x[test], "y": y[test]}, *args, **kwargs),
    )
