"""Array modules and devices: where arrays live and how they move.

A device is named by a specifier: ``'@numpy'`` for the host, ``'@cupy:N'`` for GPU ``N``.

Example:
    >>> import numpy
    >>> from kusari import backend
    >>> backend.get_array_module(numpy.zeros(3)) is numpy
    True
    >>> backend.get_device('@numpy')
    <CpuDevice @numpy>
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import numpy

from kusari._backend import Device
from kusari.backends._cpu import CpuDevice
from kusari.backends.cuda import GpuDevice

__all__ = [
    "Device", "CpuDevice", "GpuDevice", "get_array_module", "get_device",
    "get_device_from_array", "using_device", "to_device", "copyto", "is_arrays_compatible",
    "DeviceResident",
]

_CPU = CpuDevice()


def get_array_module(*args: Any) -> Any:
    """The array module (``numpy`` or ``cupy``) for the given arrays or Variables.

    Args:
        *args: Arrays, Variables or other values.

    Returns:
        ``cupy`` when any argument holds a CuPy array, otherwise ``numpy``.
    """
    cupy = sys.modules.get("cupy")
    if cupy is None:
        return numpy
    for a in args:
        a = getattr(a, "_data", a)
        if isinstance(a, cupy.ndarray):
            return cupy
    return numpy


def get_device(device_spec: Any) -> Device:
    """The :class:`Device` named by ``device_spec``.

    Args:
        device_spec: A :class:`Device`; ``'@numpy'``; ``'@cupy:N'``; the ``numpy`` module;
            a ``cupy.cuda.Device``; an int (negative for the CPU, else a GPU id, as in
            Chainer's old API); or a tuple ``('@cupy', N)``.

    Returns:
        The device.

    Raises:
        ValueError: The specifier names no known device.
    """
    if isinstance(device_spec, Device):
        return device_spec
    if device_spec is numpy or device_spec is None:
        return _CPU
    if isinstance(device_spec, str):
        if device_spec == "@numpy" or device_spec == "native" or device_spec == "native:0":
            return _CPU
        if device_spec.startswith("@cupy:"):
            try:
                dev_id = int(device_spec[6:])
            except ValueError:
                raise ValueError(f"get_device: invalid device specifier {device_spec!r}") from None
            return GpuDevice.from_device_id(dev_id)
        if device_spec.startswith("cuda:"):
            return GpuDevice.from_device_id(int(device_spec[5:]))
        if device_spec.lstrip("-").isdigit():
            # Chainer's old integer ids as strings, as scripts pass ``--device -1``
            dev_id = int(device_spec)
            return _CPU if dev_id < 0 else GpuDevice.from_device_id(dev_id)
        raise ValueError(
            f"get_device: invalid device specifier {device_spec!r}; "
            "expected '@numpy' or '@cupy:N'"
        )
    if isinstance(device_spec, bool):
        raise ValueError(f"get_device: invalid device specifier {device_spec!r}")
    if isinstance(device_spec, (int, numpy.integer)):
        return _CPU if device_spec < 0 else GpuDevice.from_device_id(int(device_spec))
    if isinstance(device_spec, tuple) and len(device_spec) == 2:
        mod, idx = device_spec
        if mod in ("@cupy", "cupy") or getattr(mod, "__name__", None) == "cupy":
            return GpuDevice.from_device_id(int(idx))
    cupy = sys.modules.get("cupy")
    if cupy is not None:
        if device_spec is cupy:
            return GpuDevice(cupy.cuda.Device())
        if isinstance(device_spec, cupy.cuda.Device):
            return GpuDevice(device_spec)
    raise ValueError(f"get_device: invalid device specifier {device_spec!r}")


def get_device_from_array(array: Any) -> Device:
    """The device holding ``array`` (a NumPy or CuPy array, or a Variable)."""
    array = getattr(array, "_data", array)
    dev = GpuDevice.from_array(array)
    return _CPU if dev is None else dev


@contextlib.contextmanager
def using_device(device_spec: Any) -> Iterator[Device]:
    """Make the named device current inside a ``with`` block.

    Example:
        >>> with using_device('@numpy') as dev:
        ...     dev.xp.__name__
        'numpy'
    """
    device = get_device(device_spec)
    with device:
        yield device


def to_device(device_spec: Any, x: Any) -> Any:
    """Send an array, a nested tuple/list/dict of arrays, or a Variable to a device.

    Variables are moved in place and returned.
    """
    from kusari.variable import Variable

    device = get_device(device_spec)
    if isinstance(x, (Variable, DeviceResident)):
        x.to_device(device)
        return x
    return device.send(x)  # arrays (NumPy 2's own ``to_device`` is not ours) and nests


def copyto(dst: Any, src: Any) -> None:
    """Copy ``src`` into ``dst`` across devices (NumPy <-> CuPy included)."""
    if isinstance(dst, numpy.ndarray):
        numpy.copyto(dst, _CPU.send(src))
        return
    cupy = sys.modules.get("cupy")
    if cupy is not None and isinstance(dst, cupy.ndarray):
        if isinstance(src, cupy.ndarray) and src.device == dst.device:
            cupy.copyto(dst, src)
        else:
            with dst.device:
                cupy.copyto(dst, cupy.asarray(src))
        return
    raise TypeError(f"copyto: cannot copy into {type(dst).__name__}")


def is_arrays_compatible(arrays: Any) -> bool:
    """True when all non-None arrays live on the same kind of device."""
    arrays = [a for a in arrays if a is not None]
    if not arrays:
        return True
    kinds = {type(get_device_from_array(a)) for a in arrays}
    return len(kinds) == 1


def get_array_types() -> tuple:
    """The array types kusari accepts: NumPy's, plus CuPy's when it is loaded."""
    cupy = sys.modules.get("cupy")
    if cupy is None:
        return (numpy.ndarray,)
    return (numpy.ndarray, cupy.ndarray)


class DeviceResident:
    """Mixin for objects that hold arrays on one device (links, for instance).

    Subclasses implement ``_device_arrays()`` yielding ``(owner, attribute)`` pairs,
    and ``_device_children()`` yielding nested residents.
    """

    _device: Device = _CPU

    @property
    def device(self) -> Device:
        """The device holding this object's arrays."""
        return self._device

    @property
    def xp(self) -> Any:
        """The array module of :attr:`device`."""
        return self._device.xp

    def to_device(self, device: Any) -> DeviceResident:
        """Move every array this object holds to ``device``; returns ``self``."""
        device = get_device(device)
        for obj in self._device_residents():
            obj._device_to(device)
        return self

    def to_cpu(self) -> DeviceResident:
        """Move every array to the host; returns ``self``."""
        return self.to_device(_CPU)

    def to_gpu(self, device: Any = None) -> DeviceResident:
        """Move every array to a GPU (the current one when ``device`` is None)."""
        from kusari.backends import cuda

        cuda.check_cuda_available()
        if device is None:
            dev = GpuDevice(cuda.cupy.cuda.Device())
        elif isinstance(device, int):
            dev = GpuDevice.from_device_id(device)
        else:
            dev = get_device(device)
        return self.to_device(dev)

    def _device_residents(self) -> Iterator[DeviceResident]:
        yield self

    def _device_to(self, device: Device) -> None:
        self._device = device
