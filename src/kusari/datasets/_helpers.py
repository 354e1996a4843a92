"""Shared helpers of the dataset getters: downloads with mirrors, pickle-free caches."""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any

import numpy

from kusari.dataset import download


def download_any(urls: Sequence[str], checksum: str | None) -> str:
    """Download from the first mirror that works; return the cached path.

    Raises:
        OSError: Every mirror failed (the last error is chained).
    """
    for url in urls:
        if os.path.exists(download._cache_path(url)):
            return download._cache_path(url)
    error: Exception | None = None
    for url in urls:
        try:
            return download.cached_download(url, checksum=checksum)
        except (OSError, ValueError) as e:
            error = e
    raise OSError(f"could not download any of {list(urls)}: {error}") from error


def save_npz(path: str, **arrays: numpy.ndarray) -> None:
    """Write a compressed ``.npz`` at exactly ``path``, without pickle."""
    with open(path, "wb") as f:
        numpy.savez_compressed(f, **arrays)


def load_npz(path: str) -> dict[str, numpy.ndarray]:
    """Read every array of a cache ``.npz`` (pickled objects are refused)."""
    with numpy.load(path, allow_pickle=False) as f:
        return {key: f[key] for key in f.files}


def cached_arrays(
    directory: str, name: str, create: Callable[[], dict[str, numpy.ndarray]]
) -> dict[str, numpy.ndarray]:
    """Arrays cached at ``<root>/<directory>/<name>``, created by ``create`` once."""

    def creator(path: str) -> dict[str, numpy.ndarray]:
        arrays = create()
        save_npz(path, **arrays)
        return arrays

    path = os.path.join(download.get_dataset_directory(directory), name)
    return download.cache_or_load_file(path, creator, load_npz)


def scale_images(images: numpy.ndarray, dtype: Any, scale: float, maximum: float) -> numpy.ndarray:
    """``images`` as ``dtype`` scaled from ``[0, maximum]`` to ``[0, scale]``."""
    import kusari

    out = images.astype(kusari.get_dtype(dtype))
    out *= scale / maximum
    return out


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """An unpickler that can only build NumPy arrays, dtypes and plain containers."""

    _ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"): ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"): ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"): ("numpy", "ndarray"),
        ("numpy", "dtype"): ("numpy", "dtype"),
        ("numpy.core.multiarray", "scalar"): ("numpy._core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"): ("numpy._core.multiarray", "scalar"),
        ("_codecs", "encode"): ("_codecs", "encode"),
    }

    def find_class(self, module: str, name: str) -> Any:
        target = self._ALLOWED.get((module, name))
        if target is None:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name} from a dataset file (only NumPy arrays "
                "and plain containers are allowed)"
            )
        return super().find_class(*target)


def restricted_unpickle(data: bytes) -> Any:
    """Unpickle a dataset file that may only contain NumPy arrays and containers.

    CIFAR's batches are Python pickles; this reads them without letting the file
    run arbitrary code.
    """
    return _NumpyOnlyUnpickler(io.BytesIO(data), encoding="bytes").load()
