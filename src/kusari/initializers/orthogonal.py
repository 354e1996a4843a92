"""Orthogonal initializer (Saxe et al., https://arxiv.org/abs/1312.6120)."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.initializers._base import Initializer, _fill, _parse_rng

# mode -> (must be an embedding: in <= out, must be a projection: in >= out)
_CONSTRAINTS = {
    "auto": (False, False),
    "projection": (False, True),
    "embedding": (True, False),
    "basis": (True, True),
}


class Orthogonal(Initializer):
    """Fill with ``scale`` times a random (semi-)orthogonal matrix.

    The array is seen as a matrix ``(shape[0], prod(shape[1:]))``. A standard normal
    matrix of that shape is drawn; QR of it (or of its transpose when it is wide) gives
    ``Q``, whose columns are sign-fixed so that ``diag(R) >= 0`` (making the draw
    unique, hence Haar-distributed). A 0-d array gets ``+-scale``.

    Args:
        scale: Multiplier (Chainer's default is 1.1).
        dtype: Optional dtype.
        mode: ``'auto'``, ``'projection'`` (requires in >= out), ``'embedding'``
            (requires in <= out) or ``'basis'`` (square).
        rng: Optional random generator.

    Raises:
        ValueError: Unknown ``mode``; (when called) an empty array, or a shape the
            mode forbids.

    Example:
        >>> import numpy
        >>> a = numpy.empty((3, 3)); Orthogonal(1.0)(a)
        >>> numpy.allclose(a @ a.T, numpy.eye(3))
        True
    """

    def __init__(self, scale: float = 1.1, dtype: Any = None, mode: str = "auto",
                 **kwargs: Any) -> None:
        self.scale = scale
        self.mode = mode
        self.rng = _parse_rng(kwargs, "Orthogonal")
        if mode not in _CONSTRAINTS:
            raise ValueError(f"Invalid mode: {mode!r}. Choose from "
                             f"{', '.join(repr(m) for m in _CONSTRAINTS)}.")
        self._checks = _CONSTRAINTS[mode]
        super().__init__(dtype)

    def __call__(self, array: Any) -> None:
        self._check(array)
        rng = numpy.random if self.rng is None else self.rng
        if not array.shape:
            _fill(array, self.scale * (2 * int(rng.randint(2)) - 1))
            return
        if not array.size:
            raise ValueError("Array to be initialized must be non-empty.")
        out_dim = array.shape[0]
        in_dim = array.size // out_dim
        embed, project = self._checks
        if (embed and in_dim > out_dim) or (project and in_dim < out_dim):
            raise ValueError(f"Cannot make orthogonal {self.mode}. shape = {array.shape}, "
                             f"interpreted as {in_dim}-dim input and {out_dim}-dim output.")
        a = numpy.asarray(rng.normal(size=(out_dim, in_dim)))
        wide = in_dim > out_dim
        if wide:
            a = a.T
        q, r = numpy.linalg.qr(a)
        q *= numpy.copysign(self.scale, numpy.diag(r))
        if wide:
            q = q.T
        _fill(array, q.reshape(array.shape))
