"""Where datasets live on disk, and downloading them once into a cache.

The dataset root is ``~/.kusari/dataset`` unless overridden, in this order, by
:func:`set_dataset_root`, the environment variable ``KUSARI_DATASET_ROOT`` or
``CHAINER_DATASET_ROOT`` (so an existing Chainer cache can be shared: kusari uses
the same sub-directories, e.g. ``pfnet/chainer/mnist``).

Every file is written atomically (a temporary file in the target directory, then
:func:`os.replace`), so an interrupted download never leaves a partial file.

Example:
    >>> import os, tempfile
    >>> from kusari.dataset import download
    >>> root = tempfile.mkdtemp()
    >>> download.set_dataset_root(root)
    >>> download.get_dataset_directory('demo') == os.path.join(root, 'demo')
    True
    >>> download.set_dataset_root(None)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from collections.abc import Callable
from typing import Any

_dataset_root: str | None = None

_DEFAULT_ROOT = os.path.join("~", ".kusari", "dataset")
_CHUNK = 1 << 20


def get_dataset_root() -> str:
    """The root directory under which datasets are stored.

    Returns:
        The path set by :func:`set_dataset_root`, else ``$KUSARI_DATASET_ROOT``, else
        ``$CHAINER_DATASET_ROOT``, else ``~/.kusari/dataset`` (user-expanded).

    Example:
        >>> isinstance(get_dataset_root(), str)
        True
    """
    if _dataset_root is not None:
        return _dataset_root
    for var in ("KUSARI_DATASET_ROOT", "CHAINER_DATASET_ROOT"):
        value = os.environ.get(var)
        if value:
            return os.path.expanduser(value)
    return os.path.expanduser(_DEFAULT_ROOT)


def set_dataset_root(path: str | os.PathLike | None) -> None:
    """Set the dataset root for this process.

    Args:
        path: The new root, or None to go back to the environment / default.

    Example:
        >>> set_dataset_root('/tmp/kusari-data'); get_dataset_root()
        '/tmp/kusari-data'
        >>> set_dataset_root(None)
    """
    global _dataset_root
    _dataset_root = None if path is None else os.fspath(path)


def get_dataset_directory(dataset_name: str, create_directory: bool = True) -> str:
    """The directory of one dataset under the root, created if asked.

    Args:
        dataset_name: Relative path such as ``'pfnet/chainer/mnist'``.
        create_directory: If True, create the directory (and parents) when missing.

    Returns:
        The absolute path of the directory.

    Raises:
        OSError: The directory cannot be created.

    Example:
        >>> get_dataset_directory('x', create_directory=False).endswith('x')
        True
    """
    path = os.path.join(get_dataset_root(), dataset_name)
    if create_directory:
        os.makedirs(path, exist_ok=True)
    return path


def _cache_path(url: str) -> str:
    return os.path.join(get_dataset_root(), "_dl_cache", hashlib.md5(url.encode()).hexdigest())


def _parse_checksum(checksum: str) -> tuple[str, str]:
    algo, sep, digest = checksum.partition(":")
    if not sep or algo not in hashlib.algorithms_guaranteed:
        raise ValueError(
            "cached_download: checksum must look like 'sha256:<hex>' or 'md5:<hex>', "
            f"got {checksum!r}"
        )
    return algo, digest.lower()


def cached_download(url: str, *, checksum: str | None = None) -> str:
    """Download ``url`` once into the cache and return the cached file's path.

    The cache file is ``<root>/_dl_cache/<md5 of url>``, as in Chainer. The body is
    streamed to a temporary file in the cache directory, its checksum verified
    (when given), and only then moved into place.

    Args:
        url: The URL (``http(s)://``, or ``file://`` for local files).
        checksum: Expected digest as ``'<algorithm>:<hex>'`` (e.g. ``'md5:...'``,
            ``'sha256:...'``), or None to skip verification.

    Returns:
        The path of the cached file.

    Raises:
        ValueError: The downloaded data does not match ``checksum``.
        OSError: The download failed (``urllib.error.URLError`` is an OSError).

    Example:
        >>> import pathlib, tempfile
        >>> set_dataset_root(tempfile.mkdtemp())
        >>> src = pathlib.Path(tempfile.mkdtemp()) / 'a.txt'
        >>> _ = src.write_text('hi')
        >>> pathlib.Path(cached_download(src.as_uri())).read_text()
        'hi'
        >>> set_dataset_root(None)
    """
    path = _cache_path(url)
    if os.path.exists(path):
        return path
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    hasher = None
    if checksum is not None:
        algo, expected = _parse_checksum(checksum)
        hasher = hashlib.new(algo)
    fd, tmp = tempfile.mkstemp(prefix=".download.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url) as response:
            while True:
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                if hasher is not None:
                    hasher.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if hasher is not None and hasher.hexdigest() != expected:
            raise ValueError(
                f"cached_download: checksum mismatch for {url}: expected {checksum}, "
                f"got {algo}:{hasher.hexdigest()}"
            )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def cache_or_load_file(
    path: str | os.PathLike, creator: Callable[[str], Any], loader: Callable[[str], Any]
) -> Any:
    """Load a cached file, creating it first if it does not exist.

    ``creator(tmp_path)`` writes the file at a temporary path in the same directory
    and returns the content; the file is then moved to ``path`` atomically. When
    the file already exists, ``loader(path)`` reads it.

    Args:
        path: Where the cached file lives.
        creator: Writes the file to the path it is given and returns its content.
        loader: Reads the file at the path it is given.

    Returns:
        ``loader(path)`` if the file existed, else what ``creator`` returned.

    Raises:
        OSError: The directory cannot be created.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / 'n.txt'
        >>> def create(tmp):
        ...     _ = pathlib.Path(tmp).write_text('7')
        ...     return 7
        >>> def load(q):
        ...     return int(pathlib.Path(q).read_text()) + 1
        >>> cache_or_load_file(p, create, load)
        7
        >>> cache_or_load_file(p, create, load)
        8
    """
    path = os.fspath(path)
    if os.path.exists(path):
        return loader(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temp_dir = tempfile.mkdtemp(prefix=".create.", dir=directory)
    try:
        temp_path = os.path.join(temp_dir, os.path.basename(path))
        content = creator(temp_path)
        if not os.path.exists(path):
            os.replace(temp_path, path)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    return content
