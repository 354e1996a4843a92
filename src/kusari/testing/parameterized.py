"""Parameterized test classes, as ``chainer.testing.parameterize`` makes them."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from typing import Any


def _param_name(i: int, params: dict) -> str:
    parts = []
    for k, v in sorted(params.items()):
        text = getattr(v, "__name__", None) or str(v)
        text = "".join(c if c.isalnum() else "_" for c in text)[:20]
        parts.append(f"{k}_{text}")
    return f"param_{i}_" + "_".join(parts)[:80]


def parameterize(*params: dict) -> Callable[[type], type]:
    """Make one test class per parameter dict, with the dict's items as class attributes.

    The generated classes are added to the decorated class's module; the decorated
    class itself is hidden from test collection.

    Args:
        *params: Dicts of attribute values.

    Example:
        >>> @parameterize({'n': 1}, {'n': 2})
        ... class TestN:
        ...     def test_positive(self):
        ...         assert self.n > 0
    """

    def deco(cls: type) -> type:
        module = sys.modules[cls.__module__]
        for i, p in enumerate(params):
            name = f"{cls.__name__}_{_param_name(i, p)}"
            attrs = dict(p)
            attrs["__test__"] = True
            attrs["__module__"] = cls.__module__
            attrs["__qualname__"] = name
            attrs["_param"] = dict(p)
            setattr(module, name, type(name, (cls,), attrs))
        cls.__test__ = False  # type: ignore[attr-defined]
        return cls

    return deco


def product(parameter: Any) -> list[dict]:
    """The Cartesian product of parameter values.

    Args:
        parameter: A dict from name to a list of values, or a list of lists of dicts
            (each combination's dicts are merged).

    Returns:
        A list of dicts.

    Example:
        >>> product({'a': [1, 2], 'b': [3]})
        [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]
    """
    if isinstance(parameter, dict):
        keys = sorted(parameter)
        return [dict(zip(keys, values))
                for values in itertools.product(*[parameter[k] for k in keys])]
    if isinstance(parameter, list):
        out = []
        for combo in itertools.product(*parameter):
            d: dict = {}
            for part in combo:
                d.update(part)
            out.append(d)
        return out
    raise TypeError(f"product: expected a dict or a list, got {type(parameter).__name__}")


def product_dict(*parameters: list[dict]) -> list[dict]:
    """The product of several lists of dicts, each combination merged into one dict.

    Example:
        >>> product_dict([{'a': 1}], [{'b': 2}, {'b': 3}])
        [{'a': 1, 'b': 2}, {'a': 1, 'b': 3}]
    """
    out = []
    for combo in itertools.product(*parameters):
        d: dict = {}
        for part in combo:
            d.update(part)
        out.append(d)
    return out
