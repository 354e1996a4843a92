"""Array assertions that accept NumPy, CuPy and Variables."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import backend


def _to_host(x: Any) -> Any:
    x = getattr(x, "array", x)
    if isinstance(x, (numpy.ndarray, numpy.generic)) or numpy.isscalar(x):
        return numpy.asarray(x)
    return backend.CpuDevice().send(x)


def assert_allclose(
    x: Any, y: Any, atol: float = 1e-5, rtol: float = 1e-4, verbose: bool = True
) -> None:
    """Assert that ``x`` and ``y`` are elementwise close (shapes must broadcast).

    Args:
        x: Array, Variable or scalar.
        y: Array, Variable or scalar.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        verbose: Include the values in the message.

    Raises:
        AssertionError: They differ.

    Example:
        >>> assert_allclose(numpy.ones(2), numpy.ones(2) + 1e-7)
    """
    a, b = _to_host(x), _to_host(y)
    try:
        numpy.testing.assert_allclose(a, b, atol=atol, rtol=rtol, verbose=verbose)
    except AssertionError as e:
        if a.shape == b.shape and a.size:
            diff = numpy.abs(a.astype(numpy.float64) - b.astype(numpy.float64))
            i = numpy.unravel_index(int(numpy.nanargmax(diff)), diff.shape)
            raise AssertionError(
                f"{e}\nlargest difference at index {tuple(int(k) for k in i)}: "
                f"{a[i]!r} vs {b[i]!r}"
            ) from None
        raise


def _as_noncontiguous_array(array: Any) -> Any:
    """A non-C-contiguous copy of ``array`` (a tuple/list is converted elementwise).

    Arrays of at most one element and ``None`` are returned unchanged.
    """
    if isinstance(array, (list, tuple)):
        return type(array)(_as_noncontiguous_array(a) for a in array)
    if array is None or array.size <= 1:
        return array
    xp = backend.get_array_module(array)
    every_other = (slice(None, None, 2),) * array.ndim
    buf = xp.empty(tuple(2 * s for s in array.shape), dtype=array.dtype)
    view = buf[every_other]
    view[...] = array
    return view
