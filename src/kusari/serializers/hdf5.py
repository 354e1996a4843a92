"""Snapshots in HDF5 files through h5py (the ``hdf5`` extra).

The layout matches Chainer 7: each ``serializer[name]`` is an HDF5 group and each
value a dataset; ``None`` is an empty dataset (``h5py.Empty``).

Example:
    >>> import numpy, tempfile, os
    >>> from kusari import serializers
    >>> class W:
    ...     def __init__(self):
    ...         self.w = numpy.zeros(2)
    ...     def serialize(self, s):
    ...         s('w', self.w)
    >>> path = os.path.join(tempfile.mkdtemp(), 'w.h5')
    >>> a = W(); a.w[:] = 2
    >>> serializers.save_hdf5(path, a)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy

from kusari import serializer


def _h5py() -> Any:
    try:
        import h5py
    except ImportError as e:
        raise ImportError(
            "kusari.serializers HDF5 support needs h5py: install the 'hdf5' extra "
            "(pip install 'kusari[hdf5]')"
        ) from e
    return h5py


class HDF5Serializer(serializer.Serializer):
    """Serializer that writes values into an HDF5 group.

    Args:
        group: An ``h5py.File`` or ``h5py.Group`` opened for writing.
        compression: gzip level 0-9 for array datasets (0 or None: uncompressed).

    Raises:
        ImportError: h5py is not installed.
    """

    def __init__(self, group: Any, compression: int | None = 4) -> None:
        _h5py()
        self.group = group
        self.compression = compression

    def __getitem__(self, key: str) -> HDF5Serializer:
        return HDF5Serializer(self.group.require_group(key.strip("/")), self.compression)

    def __call__(self, key: str, value: Any) -> Any:
        h5py = _h5py()
        key = key.lstrip("/")
        compression = None
        if value is None:
            data = h5py.Empty("f")
        else:
            arr = value
            cupy = sys.modules.get("cupy")
            if cupy is not None and isinstance(arr, cupy.ndarray):
                arr = arr.get()
            data = numpy.asarray(arr)
            if data.dtype.hasobject:
                raise ValueError(
                    f"HDF5Serializer: cannot save {key!r} of type {type(value).__name__}"
                )
            if data.dtype.kind == "U":
                data = numpy.asarray(data.astype(object), dtype=h5py.string_dtype())
            if data.ndim > 0 and self.compression:
                compression = "gzip"
        if compression is None:
            self.group.create_dataset(key, data=data)
        else:
            self.group.create_dataset(
                key, data=data, compression=compression, compression_opts=self.compression
            )
        return value


class HDF5Deserializer(serializer.Deserializer):
    """Deserializer that reads values from an HDF5 group.

    Args:
        group: An ``h5py.File`` or ``h5py.Group``.
        path: Unused prefix kept for Chainer compatibility.
        strict: If True, a missing key raises :class:`KeyError`.

    Raises:
        ImportError: h5py is not installed.
    """

    def __init__(self, group: Any, path: str = "", strict: bool = True) -> None:
        self.group = group
        self.path = path
        self.strict = strict

    def __getitem__(self, key: str) -> HDF5Deserializer:
        key = key.strip("/")
        if not self.strict and key not in self.group:
            return HDF5Deserializer(_Missing(), strict=False)
        return HDF5Deserializer(self.group[key], strict=self.strict)

    def __call__(self, key: str, value: Any) -> Any:
        key = key.lstrip("/")
        if key not in self.group:
            if self.strict:
                raise KeyError(f"HDF5Deserializer: {key!r} is not in group {self.group.name!r}")
            return value
        dataset = self.group[key]
        if dataset.shape is None:
            return None
        arr = dataset[()]
        if isinstance(arr, bytes):
            arr = arr.decode("utf-8")
        arr = numpy.asarray(arr)
        if value is None:
            return arr
        if isinstance(value, numpy.ndarray):
            numpy.copyto(value, arr)
            return value
        cupy = sys.modules.get("cupy")
        if cupy is not None and isinstance(value, cupy.ndarray):
            value.set(numpy.ascontiguousarray(arr, dtype=value.dtype))
            return value
        if isinstance(value, str):
            return str(arr[()])
        return type(value)(arr[()])


class _Missing:
    """A stand-in group for a missing path when loading non-strictly."""

    name = "<missing>"

    def __contains__(self, key: str) -> bool:
        return False

    def __getitem__(self, key: str) -> _Missing:
        raise KeyError(key)


def save_hdf5(filename: str | os.PathLike, obj: Any, compression: int | None = 4) -> None:
    """Save ``obj`` (anything with ``serialize``) to an HDF5 file.

    Args:
        filename: Path of the file to create (overwritten if present).
        obj: Object to save.
        compression: gzip level for arrays (0 or None: none).

    Raises:
        ImportError: h5py is not installed (install the ``hdf5`` extra).
    """
    h5py = _h5py()
    with h5py.File(filename, "w") as f:
        HDF5Serializer(f, compression=compression).save(obj)


def load_hdf5(filename: str | os.PathLike, obj: Any) -> None:
    """Load ``obj`` (anything with ``serialize``) from an HDF5 file.

    Args:
        filename: Path of the file.
        obj: Object to fill in place.

    Raises:
        ImportError: h5py is not installed (install the ``hdf5`` extra).
        KeyError: A key is missing from the file.
    """
    h5py = _h5py()
    with h5py.File(filename, "r") as f:
        HDF5Deserializer(f).load(obj)
