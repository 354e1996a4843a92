"""Helpers shared by the update rules."""

from __future__ import annotations

from typing import Any

from kusari import optimizer


def make_defaults(**values: Any) -> optimizer.Hyperparameter:
    """A root :class:`~kusari.optimizer.Hyperparameter` holding ``values``."""
    hp = optimizer.Hyperparameter()
    for k, v in values.items():
        setattr(hp, k, v)
    return hp


def set_given(hyperparam: optimizer.Hyperparameter, **values: Any) -> None:
    """Set each value that is not None on ``hyperparam`` (per-rule overrides)."""
    for k, v in values.items():
        if v is not None:
            setattr(hyperparam, k, v)


def check_nonneg(owner: str, **values: float) -> None:
    """Raise ValueError naming the first negative hyperparameter.

    Raises:
        ValueError: A value is negative.
    """
    for k, v in values.items():
        if v < 0:
            raise ValueError(f"{owner}: {k} must be non-negative, got {v}")


def check_unit(owner: str, **values: float) -> None:
    """Raise ValueError naming the first hyperparameter outside ``[0, 1)``.

    Raises:
        ValueError: A value is outside ``[0, 1)``.
    """
    for k, v in values.items():
        if not 0 <= v < 1:
            raise ValueError(f"{owner}: {k} must be in [0, 1), got {v}")


def scratch(grad: Any, slot: int = 0) -> Any:
    """A temporary like ``grad`` from the optimizer's thread-local pool."""
    return optimizer._scratch(grad, slot)


#: Elements per block of the CPU update loops: the temporaries of a block stay in the
#: CPU cache, so a large parameter streams through memory once instead of once per
#: elementwise operation.
BLOCK = 1 << 16


def blocks(*arrays: Any) -> Any:
    """Yield aligned flat blocks of equally sized arrays (whole arrays when small).

    Non-contiguous arrays are yielded whole, so in-place updates always reach them.
    """
    n = arrays[0].size
    if n <= BLOCK or not all(a.flags.c_contiguous for a in arrays):
        yield arrays
        return
    flats = [a.reshape(-1) for a in arrays]
    for start in range(0, n, BLOCK):
        stop = start + BLOCK
        yield tuple(f[start:stop] for f in flats)
