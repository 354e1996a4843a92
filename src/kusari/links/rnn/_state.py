"""The recurrent state shared by the stateful RNN links (LSTM, GRU, MGU, ...)."""

from __future__ import annotations

from typing import Any

from kusari import variable


class RecurrentState:
    """Mixin for a link that keeps state Variables (``_state_names``, e.g. ``('c', 'h')``)
    between calls: they move with the link and are cleared by :meth:`reset_state`.

    Example:
        >>> import kusari.links as L
        >>> lstm = L.LSTM(2, 3)
        >>> lstm.reset_state(); lstm.h is None and lstm.c is None
        True
    """

    _state_names: tuple = ("h",)

    def _device_to(self, device: Any) -> None:
        super()._device_to(device)  # type: ignore[misc]
        for name in self._state_names:
            v = self.__dict__.get(name)
            if v is not None:
                v.to_device(device)

    def _set_state(self, **values: Any) -> None:
        """Set state Variables by name, moved to this link's device.

        Raises:
            AssertionError: A value is not a Variable.
        """
        for v in values.values():
            if not isinstance(v, variable.Variable):
                raise AssertionError(f"set_state: {' and '.join(values)} must be Variables")
        for name, v in values.items():
            v.to_device(self.device)  # type: ignore[attr-defined]
            setattr(self, name, v)

    def reset_state(self) -> None:
        """Forget the state (the next call starts from zeros)."""
        for name in self._state_names:
            setattr(self, name, None)
