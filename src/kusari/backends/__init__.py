"""Backends: ``cpu`` (NumPy) and ``cuda`` (CuPy, imported lazily)."""

from kusari.backends import _cpu, cuda
