"""Run unmodified Chainer code on kusari.

:func:`install` adds an import hook so ``chainer`` and every ``chainer.*`` submodule
import as the corresponding kusari module (the same module objects, so classes are
identical), ``chainermn`` as :mod:`kusari.mn`, and ``chainerx`` as a stub whose
``is_available()`` is False.

From the shell::

    python -m kusari.compat train.py --epoch 10
    pytest -p kusari.compat tests/

Example:
    >>> import kusari.compat
    >>> kusari.compat.install()
    >>> import chainer, kusari
    >>> chainer is kusari
    True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

_ALIASES = {"chainer": "kusari", "chainermn": "kusari.mn"}


def _target(fullname: str) -> str | None:
    for alias, real in _ALIASES.items():
        if fullname == alias:
            return real
        if fullname.startswith(alias + "."):
            return real + fullname[len(alias):]
    return None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, real_name: str) -> None:
        self.real_name = real_name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(self.real_name)
        self._spec = getattr(module, "__spec__", None)
        self._loader = getattr(module, "__loader__", None)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # importlib stamped the alias spec on the real module; give it its own back
        module.__spec__ = self._spec
        module.__loader__ = self._loader


class _ChainerxLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.is_available = lambda: False
        module.__doc__ = "A stand-in for ChainerX, which kusari does not provide."

        class ndarray:  # noqa: N801 - mirrors chainerx.ndarray for isinstance checks
            pass

        module.ndarray = ndarray


class AliasFinder(importlib.abc.MetaPathFinder):
    """Maps ``chainer``/``chainermn``/``chainerx`` imports onto kusari."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname == "chainerx":
            return importlib.machinery.ModuleSpec(fullname, _ChainerxLoader())
        real = _target(fullname)
        if real is None:
            return None
        try:
            spec = importlib.util.find_spec(real)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            return None
        is_pkg = spec.submodule_search_locations is not None
        alias_spec = importlib.machinery.ModuleSpec(fullname, _AliasLoader(real),
                                                    is_package=is_pkg)
        return alias_spec


_finder = AliasFinder()


def install() -> None:
    """Route ``chainer``, ``chainermn`` and ``chainerx`` imports to kusari (idempotent)."""
    import importlib.util  # noqa: F401

    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    """Remove the import hook and the aliased modules from ``sys.modules``."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in list(sys.modules):
        if name in ("chainerx",) or _target(name) is not None:
            del sys.modules[name]


def is_installed() -> bool:
    """Whether the import hook is active."""
    return _finder in sys.meta_path


# -- pytest plugin: ``pytest -p kusari.compat`` -----------------------------------------
pytest_plugins = ["kusari.testing._pytest_plugin"]


def pytest_configure(config: Any) -> None:
    install()
