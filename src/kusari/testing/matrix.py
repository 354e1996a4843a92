"""``generate_matrix``: random matrices with chosen singular values."""

from __future__ import annotations

from typing import Any

import numpy


def generate_matrix(shape: tuple, dtype: Any = float, *,
                    singular_values: Any = None) -> numpy.ndarray:
    """A random matrix (or stack of them) of ``shape`` with the given singular values.

    Args:
        shape: ``(B..., M, N)``.
        dtype: A float or complex dtype.
        singular_values: Broadcastable to ``(B..., min(M, N))``; non-negative.

    Returns:
        A NumPy array.

    Raises:
        ValueError: ``shape`` has fewer than two axes, or a singular value is negative.
        TypeError: The dtype is not float/complex, or ``singular_values`` is missing.

    Example:
        >>> a = generate_matrix((3, 2), singular_values=[2.0, 1.0])
        >>> numpy.allclose(numpy.linalg.svd(a, compute_uv=False), [2, 1])
        True
    """
    if len(shape) <= 1:
        raise ValueError(f"shape {shape} is invalid for matrices: too few axes")
    dtype = numpy.dtype(dtype)
    if dtype.kind not in "fc":
        raise TypeError(f"dtype {dtype} is not supported")
    if singular_values is None:
        raise TypeError("singular_values is not given")
    sv = numpy.asarray(singular_values)
    if not numpy.isrealobj(sv):
        raise TypeError("singular_values is not real")
    if (sv < 0).any():
        raise ValueError("negative singular value is given")
    k_shape = tuple(shape[:-2]) + (min(shape[-2:]),)
    sv = numpy.broadcast_to(sv, k_shape)
    if 0 in shape:
        return numpy.empty(shape, dtype=dtype)
    a = numpy.random.randn(*shape)
    if dtype.kind == "c":
        a = a + 1j * numpy.random.randn(*shape)
    u, _, vh = numpy.linalg.svd(a, full_matrices=False)
    return numpy.einsum("...ik,...k,...kj->...ij", u, sv, vh).astype(dtype)
