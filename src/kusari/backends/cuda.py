"""CUDA backend through CuPy, imported on first use.

``kusari.backends.cuda`` imports on any machine: where CuPy or a GPU is missing
``available`` is ``False`` and :func:`check_cuda_available` raises a clear error.

Example:
    >>> from kusari.backends import cuda
    >>> isinstance(cuda.available, bool)
    True
"""

from __future__ import annotations

import contextlib
import functools
import sys
from typing import Any

import numpy

from kusari._backend import Device

_state: dict[str, Any] = {}


def _load() -> Any:
    """Import CuPy once; return the module or ``None``."""
    if "cupy" in _state:
        return _state["cupy"]
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() < 1:
            raise RuntimeError("no CUDA device")
        _state["cupy"] = cupy
        _state["error"] = None
    except Exception as e:  # ImportError, CUDA driver errors
        _state["cupy"] = None
        _state["error"] = e
    return _state["cupy"]


def __getattr__(name: str) -> Any:
    if name == "available":
        return _load() is not None
    if name == "cupy":
        return _load()
    if name == "cudnn_enabled":
        cp = _load()
        if cp is None:
            return False
        try:
            import cupy.cuda.cudnn  # noqa: F401

            return True
        except Exception:
            return False
    if name == "ndarray":
        cp = _load()
        return cp.ndarray if cp is not None else _DummyNdarray
    raise AttributeError(f"module 'kusari.backends.cuda' has no attribute {name!r}")


class _DummyNdarray:
    """Stands in for ``cupy.ndarray`` where CuPy is missing, so isinstance checks work."""


def check_cuda_available() -> None:
    """Raise RuntimeError naming the extra to install if CuPy or a GPU is missing."""
    if _load() is None:
        raise RuntimeError(
            "CUDA is not available: install kusari with the 'cuda12' or 'cuda13' extra "
            f"(pip install 'kusari[cuda12]') on a machine with an NVIDIA GPU ({_state['error']!r})"
        )


class DummyDeviceType:
    """A device object that does nothing, used where the CPU is current."""

    id = -1

    def __enter__(self) -> DummyDeviceType:
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def use(self) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DummyDeviceType)

    def __hash__(self) -> int:
        return 0


DummyDevice = DummyDeviceType()


class GpuDevice(Device):
    """One CUDA GPU, where arrays are :class:`cupy.ndarray`.

    Args:
        device: A ``cupy.cuda.Device``.

    Example:
        >>> from kusari import backend
        >>> dev = backend.get_device('@cupy:0')  # doctest: +SKIP
    """

    def __init__(self, device: Any) -> None:
        cp = _load()
        check_cuda_available()
        self.device = device
        self.xp = cp
        self.supported_array_types = (cp.ndarray,)
        self.name = f"@cupy:{device.id}"

    @staticmethod
    def from_device_id(device_id: int) -> GpuDevice:
        """The GPU with CUDA id ``device_id``."""
        check_cuda_available()
        if not isinstance(device_id, int) or device_id < 0:
            raise ValueError(f"GpuDevice.from_device_id: invalid device id {device_id!r}")
        return GpuDevice(_load().cuda.Device(device_id))

    @staticmethod
    def from_array(array: Any) -> GpuDevice | None:
        """The GPU holding ``array``, or None if it is not a CuPy array."""
        cp = sys.modules.get("cupy")
        if cp is not None and isinstance(array, cp.ndarray):
            return GpuDevice(array.device)
        return None

    def create_context(self) -> Any:
        return self.device

    def use(self) -> None:
        self.device.use()

    def send_array(self, array: Any) -> Any:
        cp = self.xp
        if isinstance(array, cp.ndarray):
            if array.device.id == self.device.id:
                return array
            with self.device:
                return cp.array(array, copy=True)
        if isinstance(array, (numpy.ndarray, numpy.generic)) or numpy.isscalar(array):
            with self.device:
                return cp.asarray(array)
        return array


def get_device_from_id(device_id: int | None) -> Any:
    """The ``cupy.cuda.Device`` with the given id, or :data:`DummyDevice` for None."""
    if device_id is None:
        return DummyDevice
    check_cuda_available()
    return _load().cuda.Device(device_id)


def get_device_from_array(*arrays: Any) -> Any:
    """The ``cupy.cuda.Device`` of the first CuPy array, or :data:`DummyDevice`."""
    cp = sys.modules.get("cupy")
    for a in arrays:
        a = getattr(a, "array", a)
        if cp is not None and isinstance(a, cp.ndarray):
            return a.device
    return DummyDevice


def to_gpu(array: Any, device: Any = None, stream: Any = None) -> Any:
    """Copy an array (or nested list/tuple/dict of arrays) to a GPU.

    Args:
        array: NumPy or CuPy array(s).
        device: Device id or ``cupy.cuda.Device``; the current device when None.
        stream: Unused; kept for Chainer compatibility.
    """
    check_cuda_available()
    cp = _load()
    if device is None:
        dev = cp.cuda.Device()
    elif isinstance(device, int):
        dev = cp.cuda.Device(device)
    else:
        dev = device
    return GpuDevice(dev).send(array)


def to_cpu(array: Any, stream: Any = None) -> Any:
    """Copy an array (or nested list/tuple/dict of arrays) to the host as NumPy."""
    from kusari.backends._cpu import CpuDevice

    return CpuDevice().send(array)


def get_array_module(*args: Any) -> Any:
    """CuPy if any argument is a CuPy array (or Variable holding one), else NumPy."""
    from kusari.backend import get_array_module as _gam

    return _gam(*args)


def copy(array: Any, out: Any = None, out_device: Any = None, stream: Any = None) -> Any:
    """Copy a CuPy array, optionally to another device or into ``out``."""
    check_cuda_available()
    cp = _load()
    if out is None:
        ctx = get_device_from_id(out_device) if out_device is not None else \
            contextlib.nullcontext()
        with ctx:
            return cp.array(array, copy=True)
    out[...] = array
    return out


def memoize(for_each_device: bool = False) -> Any:
    """Cache a function's result (per device when ``for_each_device``); CuPy's memoize."""

    def deco(f: Any) -> Any:
        cp = _load()
        if cp is not None:
            return cp.memoize(for_each_device)(f)
        return functools.lru_cache(maxsize=None)(f)

    return deco


def elementwise(in_params: str, out_params: str, operation: str, name: str, **kwargs: Any) -> Any:
    """A cached ``cupy.ElementwiseKernel``."""
    check_cuda_available()
    return _elementwise(in_params, out_params, operation, name, tuple(sorted(kwargs.items())))


@functools.cache
def _elementwise(in_params: str, out_params: str, operation: str, name: str, kw: tuple) -> Any:
    return _load().ElementwiseKernel(in_params, out_params, operation, name, **dict(kw))


def reduce(in_params: str, out_params: str, map_expr: str, reduce_expr: str, post_map_expr: str,
           identity: Any, name: str, **kwargs: Any) -> Any:
    """A cached ``cupy.ReductionKernel``."""
    check_cuda_available()
    return _reduce(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity, name,
                   tuple(sorted(kwargs.items())))


@functools.cache
def _reduce(in_params: str, out_params: str, map_expr: str, reduce_expr: str, post_map_expr: str,
            identity: Any, name: str, kw: tuple) -> Any:
    return _load().ReductionKernel(in_params, out_params, map_expr, reduce_expr, post_map_expr,
                                   identity, name, **dict(kw))


def raw(code: str, name: str, **kwargs: Any) -> Any:
    """A cached ``cupy.RawKernel``."""
    check_cuda_available()
    return _raw(code, name, tuple(sorted(kwargs.items())))


@functools.cache
def _raw(code: str, name: str, kw: tuple) -> Any:
    return _load().RawKernel(code, name, **dict(kw))


def fuse(*args: Any, **kwargs: Any) -> Any:
    """``cupy.fuse`` where CuPy exists; a plain call otherwise."""
    cp = _load()
    if cp is not None:
        return cp.fuse(*args, **kwargs)
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda f: f


def using_device(*args: Any) -> Any:
    """Make the GPU holding the first CuPy array current; no-op otherwise."""
    return get_device_from_array(*args)
