"""Snapshots in NumPy's ``.npz`` format, written and read without pickle.

Keys are ``/``-separated paths such as ``updater/model:main/predictor/l1/W``, the
layout Chainer 7 uses, so Chainer's snapshots load here and kusari's load in
Chainer (except for ``None`` values, see below).

``None`` values: Chainer stores ``None`` as a 0-d object array, which NumPy can
only write and read with pickle. kusari never unpickles, so it writes ``None`` as
a 0-d array of the structured dtype ``[('__kusari_none__', 'u1')]`` (plain bytes,
no pickle) and reads both that marker and Chainer's pickled ``None``: the pickle
stream of a Chainer ``None`` entry is parsed (never executed) and accepted only
when it is exactly NumPy's encoding of an object array holding ``None``. Any other
object array is refused with a :class:`ValueError`.

Example:
    >>> import io, numpy
    >>> from kusari import serializers
    >>> class Box:
    ...     def __init__(self):
    ...         self.w = numpy.zeros(3, dtype=numpy.float32)
    ...     def serialize(self, serializer):
    ...         serializer('w', self.w)
    >>> src = Box(); src.w[:] = 1
    >>> buf = io.BytesIO()
    >>> serializers.save_npz(buf, src)
    >>> _ = buf.seek(0)
    >>> dst = Box()
    >>> serializers.load_npz(buf, dst)
    >>> dst.w
    array([1., 1., 1.], dtype=float32)
"""

from __future__ import annotations

import io
import os
import pickletools
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

import numpy

from kusari import serializer

#: The dtype of the marker that stands for ``None`` in kusari's files.
NONE_DTYPE = numpy.dtype([("__kusari_none__", "u1")])

IgnoreNames = str | Callable[[str], bool] | list | tuple | None


def _none_marker() -> numpy.ndarray:
    return numpy.zeros((), dtype=NONE_DTYPE)


def _is_none_marker(arr: numpy.ndarray) -> bool:
    return arr.dtype == NONE_DTYPE and arr.shape == ()


def _to_host(value: Any, where: str) -> numpy.ndarray:
    """``value`` as a NumPy array on the host, refusing object arrays."""
    if value is None:
        return _none_marker()
    if not isinstance(value, numpy.ndarray):
        cupy = sys.modules.get("cupy")
        if cupy is not None and isinstance(value, cupy.ndarray):
            value = value.get()
    arr = numpy.asarray(value)
    if arr.dtype.hasobject:
        raise ValueError(
            f"{where}: cannot save a value of type {type(value).__name__} (it becomes an "
            "object array, which needs pickle); save arrays, numbers, bools, strings or None"
        )
    return arr


class DictionarySerializer(serializer.Serializer):
    """Serializer that collects values into a flat dictionary of NumPy arrays.

    Values are stored under ``path + key``; GPU arrays are copied to the host.
    The dictionary can then be written with :func:`numpy.savez`-compatible tools.

    Args:
        target: Dictionary to fill (a new one when None).
        path: Prefix of every key, ending with ``/`` unless empty.

    Example:
        >>> s = DictionarySerializer()
        >>> _ = s['model']('w', 1.5)
        >>> s.target
        {'model/w': array(1.5)}
    """

    def __init__(self, target: dict[str, numpy.ndarray] | None = None, path: str = "") -> None:
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key: str) -> DictionarySerializer:
        key = key.strip("/")
        return DictionarySerializer(self.target, self.path + key + "/")

    def __call__(self, key: str, value: Any) -> Any:
        key = key.lstrip("/")
        self.target[self.path + key] = _to_host(value, "DictionarySerializer")
        return value


def _global_name(arg: Any) -> str:
    return arg.replace(" ", ".") if isinstance(arg, str) else ""


_ALLOWED_GLOBALS = frozenset(
    {
        "numpy.core.multiarray._reconstruct",
        "numpy._core.multiarray._reconstruct",
        "numpy.ndarray",
        "numpy.dtype",
    }
)
_IGNORED_OPS = frozenset({"BINPUT", "LONG_BINPUT", "PUT", "MEMOIZE", "FRAME"})


def _global_names(ops: list) -> list[str] | None:
    """The ``module.name`` of every global a pickle stream refers to, or None if unsure.

    Tracks just enough of the stack and memo to resolve ``STACK_GLOBAL`` operands.
    """
    pushed: list = []
    memo: dict[int, Any] = {}
    names = []
    for op, arg, _ in ops:
        name = op.name
        if name == "GLOBAL":
            names.append(_global_name(arg))
            pushed.append(None)
        elif name == "STACK_GLOBAL":
            if len(pushed) < 2 or not all(isinstance(x, str) for x in pushed[-2:]):
                return None
            names.append(pushed[-2] + "." + pushed[-1])
            del pushed[-2:]
            pushed.append(None)
        elif name == "MEMOIZE":
            memo[len(memo)] = pushed[-1] if pushed else None
        elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
            memo[arg] = pushed[-1] if pushed else None
        elif name in ("GET", "BINGET", "LONG_BINGET"):
            pushed.append(memo.get(arg))
        elif name == "FRAME":
            continue
        else:
            pushed.append(arg if isinstance(arg, str) else None)
    return names


def _is_pickled_none(npz: Any, key: str) -> bool:
    """True when the member ``key`` of ``npz`` is NumPy's pickle of ``array(None)``.

    The pickle stream is only parsed with :func:`pickletools.genops`, never run.
    """
    zf = getattr(npz, "zip", None)
    if not isinstance(zf, zipfile.ZipFile):
        return False
    try:
        with zf.open(key + ".npy") as f:
            version = numpy.lib.format.read_magic(f)
            if version == (1, 0):
                shape, _, dtype = numpy.lib.format.read_array_header_1_0(f)
            else:
                shape, _, dtype = numpy.lib.format.read_array_header_2_0(f)
            if shape != () or dtype != numpy.dtype(object):
                return False
            payload = f.read(1 << 16)
    except (KeyError, ValueError, OSError):
        return False
    try:
        ops = list(pickletools.genops(io.BytesIO(payload)))
    except Exception:
        return False
    names = _global_names(ops)
    if names is None:
        return False
    if not names or any(n not in _ALLOWED_GLOBALS for n in names):
        return False
    # The object array's data: an empty list followed by exactly one None.
    tail = [op.name for op, _, _ in ops if op.name not in _IGNORED_OPS]
    try:
        start = len(tail) - 1 - tail[::-1].index("EMPTY_LIST")
    except ValueError:
        return False
    return tail[start:] == ["EMPTY_LIST", "NONE", "APPEND", "TUPLE", "BUILD", "STOP"]


def _check_ignore_names(ignore_names: IgnoreNames) -> list:
    if ignore_names is None:
        return []
    names = list(ignore_names) if isinstance(ignore_names, (list, tuple)) else [ignore_names]
    for name in names:
        if not (isinstance(name, str) or callable(name)):
            raise ValueError(
                "NpzDeserializer: ignore_names must be a string, a callable or a list of them, "
                f"got an element of type {type(name).__name__}"
            )
    return names


def _assign_scalar(key: str, value: Any, arr: numpy.ndarray) -> Any:
    """The stored ``arr`` converted to the type of the current scalar ``value``."""
    value_type = type(value)
    if value_type is str:
        return str(arr[()]) if arr.ndim == 0 else str(arr)
    if arr.ndim != 0:
        raise TypeError(
            f"NpzDeserializer: key {key!r} holds an array of shape {arr.shape}, "
            f"but the current value is a scalar of type {value_type.__name__}"
        )
    if issubclass(arr.dtype.type, numpy.number) and not numpy.can_cast(
        arr.dtype, value_type, casting="safe"
    ):
        raise TypeError(
            f"NpzDeserializer: cannot safely load key {key!r} of dtype {arr.dtype} "
            f"into a value of type {value_type.__name__}"
        )
    return value_type(arr[()])


class NpzDeserializer(serializer.Deserializer):
    """Deserializer that reads values from an opened ``.npz`` file (or a dict of arrays).

    Arrays are copied in place into the current value; scalars take the type of the
    current value; when the current value is None the stored array is returned.

    Args:
        npz: The result of ``numpy.load(file, allow_pickle=False)``, or any mapping
            from keys to arrays.
        path: Prefix of every key, ending with ``/`` unless empty.
        strict: If True, a missing key raises :class:`KeyError`; if False the current
            value is returned unchanged.
        ignore_names: A key, a callable ``f(key) -> bool``, or a list of them: matching
            keys are not loaded and the current value is returned.

    Raises:
        ValueError: ``ignore_names`` is malformed; a key holds a pickled object array.
        KeyError: A key is missing and ``strict`` is True.

    Example:
        >>> import numpy
        >>> d = NpzDeserializer({'a/w': numpy.arange(3.0)})
        >>> w = numpy.zeros(3)
        >>> _ = d['a']('w', w)
        >>> w
        array([0., 1., 2.])
    """

    def __init__(
        self,
        npz: Mapping[str, Any],
        path: str = "",
        strict: bool = True,
        ignore_names: IgnoreNames = None,
    ) -> None:
        self.npz = npz
        self.path = path
        self.strict = strict
        self.ignore_names = ignore_names
        self._ignore = _check_ignore_names(ignore_names)

    def __getitem__(self, key: str) -> NpzDeserializer:
        key = key.strip("/")
        return NpzDeserializer(
            self.npz, self.path + key + "/", strict=self.strict, ignore_names=self.ignore_names
        )

    def _read(self, key: str) -> numpy.ndarray | None:
        try:
            arr = self.npz[key]
        except ValueError as e:
            if _is_pickled_none(self.npz, key):
                return None
            raise ValueError(
                f"NpzDeserializer: key {key!r} holds a pickled object array; kusari refuses "
                "to load pickled objects (files are read with allow_pickle=False)"
            ) from e
        arr = numpy.asarray(arr)
        if _is_none_marker(arr):
            return None
        if arr.dtype.hasobject:
            if arr.shape == () and arr[()] is None:
                return None
            raise ValueError(
                f"NpzDeserializer: key {key!r} holds an object array; kusari refuses to "
                "load pickled objects"
            )
        return arr

    def __call__(self, key: str, value: Any) -> Any:
        key = self.path + key.lstrip("/")
        if not self.strict and key not in self.npz:
            return value
        for name in self._ignore:
            if (name == key) if isinstance(name, str) else name(key):
                return value
        if key not in self.npz:
            raise KeyError(f"NpzDeserializer: {key!r} is not in the file")
        arr = self._read(key)
        if arr is None or value is None:
            return arr
        if isinstance(value, numpy.ndarray):
            if value.shape != arr.shape:
                raise ValueError(
                    f"NpzDeserializer: key {key!r} has shape {arr.shape}, but the target "
                    f"array has shape {value.shape}"
                )
            numpy.copyto(value, arr)
            return value
        cupy = sys.modules.get("cupy")
        if cupy is not None and isinstance(value, cupy.ndarray):
            if value.shape != arr.shape:
                raise ValueError(
                    f"NpzDeserializer: key {key!r} has shape {arr.shape}, but the target "
                    f"array has shape {value.shape}"
                )
            value.set(numpy.ascontiguousarray(arr, dtype=value.dtype))
            return value
        return _assign_scalar(key, value, arr)


def _write_npz(f: BinaryIO, target: dict[str, numpy.ndarray], compression: bool) -> None:
    method = zipfile.ZIP_DEFLATED if compression else zipfile.ZIP_STORED
    with zipfile.ZipFile(f, mode="w", compression=method, allowZip64=True) as zf:
        for key, arr in target.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as member:
                numpy.lib.format.write_array(member, arr, allow_pickle=False)


def save_npz(file: str | os.PathLike | BinaryIO, obj: Any, compression: bool = True) -> None:
    """Save ``obj`` (anything with ``serialize``) to an ``.npz`` file.

    Given a path, the file is written atomically: to a temporary file in the same
    directory, flushed and fsynced, then moved over ``file`` with :func:`os.replace`,
    so a crash never leaves a truncated snapshot. The name is used as given (no
    ``.npz`` is appended).

    Args:
        file: A path, or a binary file object opened for writing.
        obj: The object to save, e.g. a link, an optimizer or a trainer.
        compression: If True, members are deflate-compressed.

    Raises:
        ValueError: A value cannot be stored without pickle.

    Example:
        >>> import io, numpy
        >>> from kusari.datasets import TupleDataset
        >>> class W:
        ...     def serialize(self, s):
        ...         s('w', numpy.ones(2))
        >>> save_npz(io.BytesIO(), W())
    """
    s = DictionarySerializer()
    s.save(obj)
    if not isinstance(file, (str, os.PathLike)):
        _write_npz(file, s.target, compression)
        return
    path = os.fspath(file)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(
        prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory
    )
    try:
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, s.target, compression)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    _fsync_dir(directory)


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_npz(
    file: str | os.PathLike | BinaryIO,
    obj: Any,
    path: str = "",
    strict: bool = True,
    ignore_names: IgnoreNames = None,
) -> None:
    """Load ``obj`` (anything with ``serialize``) from an ``.npz`` file.

    Reads files written by :func:`save_npz` and by Chainer 7's ``save_npz``. The
    file is opened with ``allow_pickle=False``: no code in the file ever runs.

    Args:
        file: A path, or a binary file object.
        obj: The object to fill in place.
        path: Key prefix to load from, e.g. ``'updater/model:main/'`` to load a model
            out of a trainer snapshot.
        strict: If True, a key missing from the file raises :class:`KeyError`.
        ignore_names: Keys (or callables ``f(key) -> bool``) not to load.

    Raises:
        KeyError: A key is missing and ``strict`` is True.
        ValueError: The file holds a pickled object array (other than Chainer's
            ``None``), or a stored array's shape differs from the target's.

    Example:
        >>> import io, numpy
        >>> class W:
        ...     def __init__(self):
        ...         self.w = numpy.zeros(2)
        ...     def serialize(self, s):
        ...         s('w', self.w)
        >>> buf = io.BytesIO()
        >>> a = W(); a.w[:] = 3
        >>> save_npz(buf, a); _ = buf.seek(0)
        >>> b = W(); load_npz(buf, b); b.w
        array([3., 3.])
    """
    npz = numpy.load(file, allow_pickle=False)
    if not isinstance(npz, numpy.lib.npyio.NpzFile):
        raise ValueError(f"load_npz: {file!r} is not an .npz archive (got a single array)")
    with npz:
        NpzDeserializer(npz, path=path, strict=strict, ignore_names=ignore_names).load(obj)
