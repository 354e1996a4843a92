"""Helpers shared by the distributions: parameter checks, safe logs, random draws."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend
from kusari.functions.array.where import where
from kusari.functions.math.exponential import log
from kusari.variable import Variable, as_variable


def param(value: Any, name: str, owner: str) -> Variable:
    """``value`` (an array or Variable of floats) as a Variable; a clear error otherwise."""
    if isinstance(value, Variable):
        dtype = value.dtype
    elif hasattr(value, "dtype") and hasattr(value, "shape"):
        dtype = value.dtype
    else:
        raise TypeError(f"{owner}: `{name}` must be an ndarray or a Variable, "
                        f"got {type(value).__name__}")
    if numpy.dtype(dtype).kind != "f":
        raise TypeError(f"{owner}: `{name}` must have a floating-point dtype, got {dtype}")
    return as_variable(value)


def exclusive(owner: str, **given: Any) -> None:
    """Raise ValueError unless exactly one of the keyword arguments is not None."""
    names = list(given)
    if sum(v is not None for v in given.values()) != 1:
        raise ValueError(f"{owner}: either `{names[0]}` or `{names[1]}` (not both) must "
                         "have a value")


def data(x: Any) -> Any:
    """The array of ``x`` (a Variable or an array)."""
    return x.array if isinstance(x, Variable) else x


def full(xp: Any, shape: tuple, value: float, dtype: Any) -> Any:
    return xp.full(shape, value, dtype=dtype)


def xlogx(p: Variable) -> Variable:
    """``p * log(p)`` with ``0 log 0 = 0`` (the gradient at 0 is taken as 0)."""
    xp = p.xp
    pos = p.array > 0
    safe = where(pos, p, xp.ones_like(p.array))
    return where(pos, p * log(safe), xp.zeros_like(p.array))


def mul_log(c: Variable, x: Any) -> Variable:
    """``c * log(x)`` for ``x >= 0`` with the limits at ``x = 0``: 0 when ``c = 0``, else
    ``-inf * sign(c)``; points with ``x < 0`` give the same value as ``x = 0``."""
    x = as_variable(x)
    xp = x.xp
    pos = x.array > 0
    safe = where(pos, x, xp.ones_like(x.array))
    val = c * log(safe)
    shape = val.shape
    ca = xp.broadcast_to(c.array, shape)
    edge = xp.where(ca > 0, -xp.inf, xp.where(ca < 0, xp.inf, 0.0)).astype(val.dtype)
    return where(xp.broadcast_to(pos, shape), val, edge)


def standard_normal(xp: Any, shape: tuple, dtype: Any) -> Any:
    if xp is numpy:
        return numpy.random.standard_normal(shape).astype(dtype)
    gen_dtype = numpy.float32 if numpy.dtype(dtype) == numpy.float16 else dtype
    return xp.random.standard_normal(shape, dtype=gen_dtype).astype(dtype)


def uniform01(xp: Any, shape: tuple, dtype: Any) -> Any:
    if xp is numpy:
        return numpy.random.uniform(0, 1, shape).astype(dtype)
    gen_dtype = numpy.float32 if numpy.dtype(dtype) == numpy.float16 else dtype
    return xp.random.uniform(0, 1, shape, dtype=gen_dtype).astype(dtype)


def random_choice(xp: Any, k: int, n: int, p: Any) -> Any:
    """``n`` indices drawn from ``range(k)`` with probabilities ``p`` (renormalised when
    its sum is 1 within the precision of its dtype)."""
    tol = float(numpy.finfo(p.dtype).eps) ** 0.5
    p64 = p.astype(numpy.float64)
    total = float(p64.sum())
    if abs(total - 1.0) > tol:
        raise ValueError(f"probabilities do not sum to 1 (sum is {total})")
    return xp.random.choice(k, size=(n,), p=p64 / total)


def array_module(*xs: Any) -> Any:
    return backend.get_array_module(*xs)


def check_n(n: int) -> int:
    n = int(n)
    if n < 0:
        raise ValueError(f"the number of samples must not be negative, got {n}")
    return n


def safe_log(p: Variable) -> Variable:
    """``log(p)`` that gives ``-inf`` at ``p = 0`` without a floating-point warning."""
    xp = p.xp
    pos = p.array > 0
    safe = where(pos, p, xp.ones_like(p.array))
    return where(pos, log(safe), xp.full_like(p.array, -xp.inf))


def masked_dot(w: Any, log_q: Variable, axis: Any = -1) -> Variable:
    """``sum(w * log_q)`` over ``axis`` where terms with ``w = 0`` count as 0 even when
    ``log_q`` is ``-inf``."""
    from kusari.functions.array.broadcast import broadcast_to
    from kusari.functions.math.sum import sum as _sum

    w = as_variable(w)
    xp = log_q.xp
    shape = numpy.broadcast_shapes(w.shape, log_q.shape)
    mask = xp.broadcast_to(w.array != 0, shape)
    lq = where(mask, broadcast_to(log_q, shape), xp.zeros(shape, log_q.dtype))
    return _sum(w * lq, axis=axis)


def categorical_samples(xp: Any, p: Any, n: int) -> Any:
    """Indices of shape ``(n,) + p.shape[:-1]`` drawn row by row with ``xp.random.choice``
    (the draw order of Chainer, so seeded runs agree)."""
    k = p.shape[-1]
    rows = p.reshape(-1, k)
    draws = [random_choice(xp, k, n, row) for row in rows]
    if not draws:
        return xp.zeros((n,) + p.shape[:-1], dtype=numpy.int64)
    return xp.stack(draws, axis=1).reshape((n,) + p.shape[:-1])
