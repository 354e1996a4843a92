"""Round-trip an object through a serializer: ``save_and_load``, ``..._npz``, ``..._hdf5``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any


def save_and_load(src: Any, dst: Any, filename: str, saver: Callable[[str, Any], Any],
                  loader: Callable[[str, Any], Any]) -> None:
    """Save ``src`` with ``saver`` into a temporary directory and load it into ``dst``.

    Args:
        src: Object to save.
        dst: Object to load into.
        filename: File name inside the temporary directory.
        saver: ``saver(path, src)``.
        loader: ``loader(path, dst)``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, filename)
        saver(path, src)
        loader(path, dst)


def save_and_load_npz(src: Any, dst: Any) -> None:
    """:func:`save_and_load` through ``serializers.save_npz`` / ``load_npz``.

    Example:
        >>> import kusari.links as L
        >>> a, b = L.Linear(2, 3), L.Linear(2, 3)
        >>> save_and_load_npz(a, b)
        >>> bool((a.W.array == b.W.array).all())
        True
    """
    from kusari import serializers

    save_and_load(src, dst, "tmp.npz", serializers.save_npz, serializers.load_npz)


def save_and_load_hdf5(src: Any, dst: Any) -> None:
    """:func:`save_and_load` through ``serializers.save_hdf5`` / ``load_hdf5`` (needs h5py)."""
    from kusari import serializers

    save_and_load(src, dst, "tmp.h5", serializers.save_hdf5, serializers.load_hdf5)
