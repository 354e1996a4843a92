"""Parameterized test classes, as ``chainer.testing.parameterize`` makes them.

``@parameterize(*dicts)`` makes one subclass per dict, named
``<Base>_param_<i>_{k=v, ...}``, with the dict's items as class attributes (plain
functions stay plain: ``self.func(x)`` calls ``func(x)``). A failing test reports its
parameters. The decorators stack with each other and with
:func:`~kusari.testing.inject_backend_tests`.
"""

from __future__ import annotations

import functools
import itertools
import types
import unittest
from collections.abc import Callable
from typing import Any

from kusari.testing._generate import make_decorator


def _param_to_str(obj: Any) -> str:
    name = getattr(obj, "__name__", None)
    return name if isinstance(name, str) else repr(obj)


def _shorten(s: str, maxlen: int) -> str:
    if len(s) <= maxlen:
        return s
    head = (maxlen - 3) // 2
    return s[:head] + "..." + s[len(s) - (maxlen - 3 - head):]


def _class_name(base: str, i: int, param: dict) -> str:
    items = ", ".join(f"{k}={_shorten(_param_to_str(v), 100)}"
                      for k, v in sorted(param.items()))
    return f"{base}_param_{i}_{{{_shorten(items, 5000)}}}"


def _describe(param: dict) -> str:
    return "".join(f"  {k}: {v}\n" for k, v in sorted(param.items()))


def _add_note(e: BaseException, note: str) -> None:
    if hasattr(e, "add_note"):
        e.add_note(note)


def _parameterized_cases(base: type, params: tuple) -> Any:
    for i, param in enumerate(params):
        members: dict[str, Any] = {}
        for k, v in param.items():
            # a function parameter must not become a method bound to the test
            members[k] = staticmethod(v) if isinstance(v, types.FunctionType) else v
        members["_param"] = dict(param)

        def __str__(self: Any, _param: dict = param) -> str:  # noqa: N807
            return f"{unittest.TestCase.__str__(self)}  parameter: {_param}"

        if issubclass(base, unittest.TestCase):
            members["__str__"] = __str__

        def wrap(method: Any, _param: dict = param) -> Any:
            @functools.wraps(method)
            def run(self: Any, *args: Any, **kwargs: Any) -> Any:
                try:
                    return method(self, *args, **kwargs)
                except unittest.SkipTest:
                    raise
                except Exception as e:
                    _add_note(e, f"Parameterized test failed.\nBase test method: "
                                 f"{base.__name__}.{method.__name__}\nTest parameters:\n"
                                 f"{_describe(_param)}")
                    raise

            return run

        yield _class_name(base.__name__, i, param), members, wrap


def parameterize(*params: dict) -> Callable[[type], type]:
    """Make one test class per parameter dict, with the dict's items as class attributes.

    The generated classes are added to the decorated class's module; the decorated
    class itself is hidden from test collection.

    Args:
        *params: Dicts of attribute values.

    Returns:
        A class decorator.

    Example:
        >>> @parameterize({'n': 1}, {'n': 2})
        ... class TestN:
        ...     def test_positive(self):
        ...         assert self.n > 0
    """
    for p in params:
        if not isinstance(p, dict):
            raise TypeError(f"parameterize: each parameter must be a dict, got {type(p).__name__}")
    return make_decorator(lambda base: _parameterized_cases(base, params))


def _values_to_dicts(names: str, values: Any) -> list[dict]:
    if not isinstance(names, str):
        raise TypeError(f"parameter names must be a string, got {type(names).__name__}")
    if not isinstance(values, (tuple, list)):
        raise TypeError(f"parameter values must be a tuple or list, got {type(values).__name__}")
    keys = names.split(",")
    out = []
    for value in values:
        if len(keys) == 1:
            out.append({keys[0]: value})
            continue
        if not isinstance(value, (tuple, list)) or len(value) != len(keys):
            raise ValueError(f"parameter values for {names!r} must be {len(keys)}-tuples, "
                             f"got {value!r}")
        out.append(dict(zip(keys, value)))
    return out


def from_pytest_parameterize(names: str, values: Any) -> list[dict]:
    """Parameter dicts from pytest-style ``('a,b', [(1, 2), (3, 4)])``.

    Example:
        >>> from_pytest_parameterize('a,b', [(1, 2), (3, 4)])
        [{'a': 1, 'b': 2}, {'a': 3, 'b': 4}]
    """
    return _values_to_dicts(names, values)


def parameterize_pytest(names: str, values: Any) -> Callable[[type], type]:
    """:func:`parameterize` with pytest-style arguments (``'a,b', [(1, 2), ...]``)."""
    return parameterize(*from_pytest_parameterize(names, values))


def product(parameter: Any) -> list[dict]:
    """The Cartesian product of parameter values.

    Args:
        parameter: A dict from name to a list of values (a name may be ``'a,b'`` with
            tuples as values), or a list of lists of dicts (each combination merged).

    Returns:
        A list of dicts.

    Raises:
        TypeError: ``parameter`` is neither.

    Example:
        >>> product({'a': [1, 2], 'b': [3]})
        [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]
    """
    if isinstance(parameter, dict):
        return product_dict(*[_values_to_dicts(names, values)
                              for names, values in sorted(parameter.items())])
    if isinstance(parameter, list):
        if not all(isinstance(part, list) and all(isinstance(d, dict) for d in part)
                   for part in parameter):
            raise TypeError("product: parameter must be a list of lists of dicts")
        return product_dict(*parameter)
    raise TypeError(f"product: parameter must be either dict or list, got "
                    f"{type(parameter).__name__}")


def product_dict(*parameters: list[dict]) -> list[dict]:
    """The product of several lists of dicts, each combination merged into one dict.

    Example:
        >>> product_dict([{'a': 1}], [{'b': 2}, {'b': 3}])
        [{'a': 1, 'b': 2}, {'a': 1, 'b': 3}]
    """
    return [{k: v for d in combo for k, v in d.items()}
            for combo in itertools.product(*parameters)]
