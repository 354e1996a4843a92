"""The device abstraction shared by the CPU and GPU backends."""

from __future__ import annotations

from typing import Any

import numpy


class Device:
    """A place where arrays live: the host (NumPy) or one GPU (CuPy).

    Subclasses define ``xp`` (the array module), ``name`` (``'@numpy'``,
    ``'@cupy:0'``), ``supported_array_types`` and ``send_array``.
    """

    xp: Any = numpy
    name: str = ""
    supported_array_types: tuple = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Device) and self.name == other.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __enter__(self) -> Device:
        self._ctx = self.create_context()
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)

    def create_context(self) -> Any:
        """A context manager that makes this device current (no-op on the CPU)."""
        import contextlib

        return contextlib.nullcontext()

    def use(self) -> None:
        """Make this device the current one for the calling thread."""

    def is_array_supported(self, array: Any) -> bool:
        """True when ``array`` already lives on this device."""
        return isinstance(array, self.supported_array_types)

    def send_array(self, array: Any) -> Any:
        raise NotImplementedError

    def send(self, arrays: Any) -> Any:
        """Transfer an array, or a (nested) tuple, list or dict of arrays, to this device.

        ``None`` and non-array leaves are returned unchanged.

        Example:
            >>> import numpy
            >>> from kusari import backend
            >>> backend.CpuDevice().send((numpy.zeros(2), None))[1] is None
            True
        """
        if arrays is None:
            return None
        if isinstance(arrays, (tuple, list)):
            return type(arrays)(self.send(a) for a in arrays)
        if isinstance(arrays, dict):
            return {k: self.send(v) for k, v in arrays.items()}
        return self.send_array(arrays)
