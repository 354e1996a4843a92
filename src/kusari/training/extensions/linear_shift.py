"""LinearShift: move a hyperparameter linearly between two values."""

from __future__ import annotations

from typing import Any

from kusari.training.extensions._shift import _Shift

__all__ = ["LinearShift"]


class LinearShift(_Shift):
    """Move ``optimizer.<attr>`` from ``v1`` to ``v2`` linearly while ``t1 <= t <= t2``.

    Args:
        attr: Hyperparameter name.
        value_range: ``(v1, v2)``: the value until call ``t1`` and from call ``t2`` on.
        time_range: ``(t1, t2)`` with ``t1 < t2``.
        optimizer: Optimizer to change (default: the updater's ``'main'``).

    Raises:
        ValueError: If ``t1 >= t2``.

    Example:
        >>> s = LinearShift('lr', (1.0, 0.0), (1, 3))
        >>> [s._value(t) for t in range(5)]
        [1.0, 1.0, 0.5, 0.0, 0.0]
    """

    def __init__(
        self,
        attr: str,
        value_range: tuple[float, float],
        time_range: tuple[int, int],
        optimizer: Any = None,
    ) -> None:
        if not time_range[0] < time_range[1]:
            raise ValueError(f"LinearShift: time_range must be increasing, got {time_range!r}")
        super().__init__(attr, optimizer)
        self._value_range = value_range
        self._time_range = time_range

    def _value(self, t: int) -> float:
        (v1, v2), (t1, t2) = self._value_range, self._time_range
        if t <= t1:
            return v1
        if t >= t2:
            return v2
        return v1 + (v2 - v1) * (t - t1) / (t2 - t1)
