"""Global and thread-local configuration, with Chainer's names.

``config`` reads a thread-local value first and falls back to ``global_config``.
``using_config`` changes a value for the current thread inside a ``with`` block.

Example:
    >>> import kusari
    >>> with kusari.using_config('train', False):
    ...     kusari.config.train
    False
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import numpy


class GlobalConfig:
    """The process-wide configuration: the defaults every thread starts from."""

    name = "global"

    def show(self, file: Any = None) -> None:
        """Print the current values, one per line, sorted by name."""
        _show(self, sorted(vars(self).items()), file)


class LocalConfig:
    """Thread-local configuration falling back to a :class:`GlobalConfig`.

    Args:
        global_config: The object read when this thread has not set a name.
    """

    def __init__(self, global_config: GlobalConfig) -> None:
        object.__setattr__(self, "_global", global_config)
        object.__setattr__(self, "_local", threading.local())

    def __delattr__(self, name: str) -> None:
        delattr(self._local, name)

    def __getattr__(self, name: str) -> Any:
        local = object.__getattribute__(self, "_local")
        if name in local.__dict__:
            return local.__dict__[name]
        return getattr(object.__getattribute__(self, "_global"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._local, name, value)

    def show(self, file: Any = None) -> None:
        """Print the effective values for this thread, one per line."""
        keys = set(vars(self._global)) | set(vars(self._local))
        _show(self, sorted((k, getattr(self, k)) for k in keys), file)


def _show(obj: Any, items: list, file: Any) -> None:
    file = sys.stdout if file is None else file
    width = max((len(k) for k, _ in items), default=0)
    for k, v in items:
        file.write(f"{k:<{width}} {v}\n")


def _env(name: str, default: str | None = None) -> str | None:
    """Read ``KUSARI_<name>`` first, then ``CHAINER_<name>``."""
    value = os.environ.get("KUSARI_" + name)
    if value is None:
        value = os.environ.get("CHAINER_" + name, default)
    return value


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def _env_dtype() -> numpy.dtype:
    value = _env("DTYPE", "float32")
    if value == "mixed16":
        return numpy.dtype(numpy.float16)
    dtype = numpy.dtype(value)
    if dtype.kind != "f":
        raise TypeError(f"KUSARI_DTYPE/CHAINER_DTYPE must name a float dtype, got {value!r}")
    return dtype


global_config = GlobalConfig()
global_config.autotune = False
global_config.compute_mode = None
global_config.cudnn_deterministic = _env_bool("CUDNN_DETERMINISTIC", False)
global_config.cudnn_fast_batch_normalization = _env_bool("CUDNN_FAST_BATCH_NORMALIZATION",
                                                         False)
global_config.debug = _env_bool("DEBUG", False)
global_config.dtype = _env_dtype()
global_config.enable_backprop = True
global_config.in_recomputing = False
global_config.keep_graph_on_report = _env_bool("KEEP_GRAPH_ON_REPORT", False)
global_config.lazy_grad_sum = _env_bool("LAZY_GRAD_SUM", False)
global_config.train = True
global_config.type_check = _env_bool("TYPE_CHECK", True)
global_config.use_cudnn = _env("USE_CUDNN", "auto")
global_config.use_cudnn_tensor_core = "auto"
global_config.use_ideep = _env("USE_IDEEP", "never")
global_config.use_static_graph = True
global_config.warn_nondeterministic = _env_bool("WARN_NONDETERMINISTIC", False)
global_config.schedule_func = None
global_config._will_recompute = False

config = LocalConfig(global_config)


@contextlib.contextmanager
def using_config(name: str, value: Any, config: LocalConfig = config) -> Iterator[None]:
    """Set ``config.<name>`` to ``value`` for this thread inside a ``with`` block.

    Args:
        name: Configuration name, e.g. ``'train'`` or ``'enable_backprop'``.
        value: Value for the duration of the block.
        config: The configuration object to change (the default is right).

    Example:
        >>> with using_config('debug', True):
        ...     pass
    """
    local = config._local.__dict__
    had = name in local
    old = local.get(name)
    local[name] = value
    try:
        yield
    finally:
        if had:
            local[name] = old
        else:
            local.pop(name, None)


def no_backprop_mode() -> contextlib.AbstractContextManager:
    """Disable graph construction inside a ``with`` block.

    Example:
        >>> import numpy, kusari
        >>> with kusari.no_backprop_mode():
        ...     y = kusari.Variable(numpy.ones(2, numpy.float32)) * 2
        >>> y.creator is None
        True
    """
    return using_config("enable_backprop", False)


def force_backprop_mode() -> contextlib.AbstractContextManager:
    """Enable graph construction inside a ``with`` block, even within ``no_backprop_mode``."""
    return using_config("enable_backprop", True)
