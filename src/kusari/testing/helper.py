"""Small test helpers: ``assert_warns``, ``patch``, ``with_requires``, ``without_requires``."""

from __future__ import annotations

import contextlib
import importlib.metadata
import sys
import unittest
import unittest.mock
import warnings
from collections.abc import Callable, Iterator
from typing import Any


def _satisfied(requirement: str) -> bool:
    from packaging.requirements import Requirement

    req = Requirement(requirement)
    try:
        version = importlib.metadata.version(req.name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return req.specifier.contains(version, prereleases=True)


def with_requires(*requirements: str) -> Callable[[Any], Any]:
    """Skip the test unless every requirement (e.g. ``'numpy>=1.10'``) is installed.

    Example:
        >>> @with_requires('numpy>=1.10')
        ... def test_new_numpy():
        ...     pass
    """
    ok = all(_satisfied(r) for r in requirements)
    return unittest.skipIf(not ok, f"requires: {','.join(requirements)}")


def without_requires(*requirements: str) -> Callable[[Any], Any]:
    """Skip the test when every requirement is installed (run it only without them)."""
    ok = all(_satisfied(r) for r in requirements)
    return unittest.skipIf(ok, f"requires: {','.join(requirements)}")


@contextlib.contextmanager
def assert_warns(expected: type[Warning]) -> Iterator[None]:
    """Assert that the ``with`` block issues a warning of class ``expected``.

    Raises:
        AssertionError: No such warning was issued.

    Example:
        >>> import warnings
        >>> with assert_warns(UserWarning):
        ...     warnings.warn('careful')
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if not any(isinstance(w.message, expected) for w in caught):
        name = getattr(expected, "__name__", str(expected))
        raise AssertionError(f"{name} not triggerred")


def _import_object_from_name(fullname: str) -> Any:
    parts = fullname.split(".")
    obj = sys.modules.get(parts[0])
    if obj is None:
        raise RuntimeError(f"Can't import {parts[0]}")
    for i, part in enumerate(parts[1:]):
        obj = getattr(obj, part, None)
        if obj is None:
            raise RuntimeError(f"Can't find object {'.'.join(parts[:i + 2])}")
    return obj


def patch(target: str, *args: Any, **kwargs: Any) -> Any:
    """``unittest.mock.patch`` that, by default, wraps the patched object.

    The mock records calls and still runs the real object.

    Args:
        target: Dotted name of the object to patch (its top module must be imported).
        wraps: The object the mock wraps (default: the object at ``target``).
        *args: Passed to ``unittest.mock.patch``.
        **kwargs: Passed to ``unittest.mock.patch``.

    Example:
        >>> import numpy
        >>> with patch('numpy.add') as add:
        ...     int(numpy.add(1, 2))
        3
        >>> add.call_count
        1
    """
    wraps = kwargs.pop("wraps") if "wraps" in kwargs else _import_object_from_name(target)
    return unittest.mock.patch(target, *args, wraps=wraps, **kwargs)
