"""Helpers shared by the loss functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari import variable
from kusari.utils import type_check


def check_types(label: str, inputs: tuple, names: tuple, check: Callable[[Any], None]) -> None:
    """Run a Chainer-style type check on composite functions, naming ``label``."""
    arrays = tuple(getattr(x, "array", x) for x in inputs)
    for name, a in zip(names, arrays):
        if not hasattr(a, "dtype"):
            raise TypeError(f"{label}: {name} must be a Variable or an array, "
                            f"got {type(a).__name__}")
    in_types = type_check.get_types(arrays, "in_types", False)
    try:
        type_check.argname(in_types, names)
        check(in_types)
    except type_check.InvalidType as e:
        msg = f"\nInvalid operation is performed in: {label} (Forward)\n\n{e}"
        raise type_check.InvalidType(e.expect, e.actual, msg=msg) from None


def check_reduce(reduce: str, allowed: tuple, capital: bool = False) -> None:
    if reduce not in allowed:
        quoted = [f"'{a}'" for a in allowed]
        names = quoted[0] if len(quoted) == 1 else (
            ", ".join(quoted[:-1]) + " and " + quoted[-1])
        head = "Only" if capital else "only"
        raise ValueError(f"{head} {names} are valid for 'reduce', but '{reduce}' is given")


def as_var(x: Any) -> variable.Variable:
    return x if isinstance(x, variable.Variable) else variable.Variable._new(x, False)


def same_float(in_types: Any) -> None:
    a, b = in_types[0], in_types[1]
    type_check.expect(a.dtype.kind == "f", a.dtype == b.dtype, a.shape == b.shape)
