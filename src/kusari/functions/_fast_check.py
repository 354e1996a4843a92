"""Cheap predicates that let built-in functions skip the full type check.

Each takes the tuple of input arrays and returns True only when the inputs are surely
acceptable for the checks the function declares; otherwise the full
``check_type_forward`` runs and produces a Chainer-style message.
"""

from __future__ import annotations

from typing import Any

from kusari.configuration import config, global_config
from kusari.variable import Variable

_local = config._local


def float_inputs(in_data: tuple) -> bool:
    """All inputs are floating point of one dtype."""
    dt = in_data[0].dtype
    if dt.kind != "f":
        return False
    for x in in_data:
        if x.dtype is not dt and x.dtype != dt:
            return False
    return True


def first_float(in_data: tuple) -> bool:
    """The first input is floating point."""
    return in_data[0].dtype.kind == "f"


def always(in_data: tuple) -> bool:
    """No declared checks beyond what forward itself enforces."""
    return True


def float_same_shape(in_data: tuple) -> bool:
    """All inputs float, one dtype and one shape."""
    x0 = in_data[0]
    dt = x0.dtype
    if dt.kind != "f":
        return False
    shape = x0.shape
    for x in in_data:
        if x.dtype != dt or x.shape != shape:
            return False
    return True


def backprop_enabled() -> bool:
    """True when the graph is being recorded (during double backprop, for instance)."""
    return _local.__dict__.get("enable_backprop", global_config.enable_backprop)


def needs_grad(v: Any) -> bool:
    """Whether a backward pass will compute the gradient of ``v`` (a Variable, not an
    array), so a function can keep what that gradient needs."""
    return isinstance(v, Variable) and v.requires_grad and backprop_enabled()


