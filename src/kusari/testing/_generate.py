"""Shared machinery of the class-generating decorators (``parameterize``,
``inject_backend_tests``): each turns one test class into several subclasses added to
the class's module, and they stack in any order.

A decorator built by :func:`make_decorator` gets a *generator* that, for one source
class, yields ``(name, members, wrap)`` triples: the new class's name, extra class
attributes, and a function applied to each ``test_*`` method (returning ``None``
removes the test from that class). The decorated class is returned unchanged except
that it is hidden from collection (``__test__ = False``) and remembers the classes made
from it, so an outer decorator expands those instead of the original.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable
from typing import Any

_GENERATED = "_kusari_generated_cases"

Generator = Callable[[type], Iterable[tuple[str, dict, Callable[[Any], Any]]]]


def generated_classes(cls: type) -> list[type]:
    """The classes generated from ``cls`` so far, or ``[cls]`` when it was never expanded."""
    return list(cls.__dict__.get(_GENERATED, [cls]))


def _test_methods(cls: type) -> list[tuple[str, Any]]:
    return [(name, value) for name, value in inspect.getmembers(cls)
            if name.startswith("test_") and callable(value)]


def make_decorator(generator: Generator) -> Callable[[type], type]:
    def deco(cls: type) -> type:
        sources = generated_classes(cls)
        made = []
        for src in sources:
            module = sys.modules[src.__module__]
            if src is not cls and getattr(module, src.__name__, None) is src:
                delattr(module, src.__name__)
            for name, members, wrap in generator(src):
                attrs = dict(members)
                for meth_name, meth in _test_methods(src):
                    attrs[meth_name] = wrap(meth)
                attrs["__test__"] = True
                attrs["__module__"] = src.__module__
                attrs["__qualname__"] = name
                new = type(name, (src,), attrs)
                setattr(module, name, new)
                made.append(new)
        cls.__test__ = False  # type: ignore[attr-defined]
        setattr(cls, _GENERATED, made)
        return cls

    return deco
