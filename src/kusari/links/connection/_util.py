"""Argument helpers shared by the connection links."""

from __future__ import annotations

from typing import Any


def pair(x: Any) -> tuple:
    """``x`` as a 2-tuple (an int is repeated)."""
    if hasattr(x, "__getitem__"):
        return tuple(x)
    return x, x


def as_tuple(x: Any, n: int) -> tuple:
    """``x`` as an ``n``-tuple (an int is repeated).

    Raises:
        AssertionError: A sequence of the wrong length (Chainer asserts too).
    """
    if hasattr(x, "__getitem__"):
        t = tuple(x)
        if len(t) != n:
            raise AssertionError(f"expected a tuple of length {n}, got {x!r}")
        return t
    return (x,) * n


def conv_kwargs(kwargs: dict, cls: str) -> tuple:
    """``(dilate, groups)`` from Chainer's ``**kwargs`` of the 2-D (de)convolution links.

    Raises:
        ValueError: The removed ``deterministic`` argument.
        TypeError: Any other unexpected keyword.
    """
    if "deterministic" in kwargs:
        raise ValueError("deterministic argument is not supported anymore. Use "
                         "chainer.using_config('cudnn_deterministic', value) context where "
                         "value is either `True` or `False`.")
    dilate = kwargs.pop("dilate", 1)
    groups = kwargs.pop("groups", 1)
    if kwargs:
        raise TypeError(f"{cls}() got unexpected keyword argument(s) "
                        f"{', '.join(sorted(kwargs))}")
    return dilate, groups


def check_groups(in_channels: int, out_channels: int, groups: int) -> None:
    """Raise ValueError unless both channel counts are divisible by ``groups``."""
    if out_channels % groups != 0:
        raise ValueError("the number of output channels must be divisible by the number of "
                         "groups")
    if in_channels % groups != 0:
        raise ValueError("the number of input channels must be divisible by the number of "
                         "groups")
