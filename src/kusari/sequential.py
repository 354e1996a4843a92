"""Sequential: a list of layers (links or plain callables) applied in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kusari.link import ChainList, Link, _structure_changed


class Sequential(ChainList):
    """Apply layers one after another; links are registered as children.

    Args:
        *layers: Links, functions or other callables.

    Example:
        >>> import kusari.functions as F, kusari.links as L
        >>> model = Sequential(L.Linear(3, 4), F.relu, L.Linear(4, 2))
        >>> len(model)
        3
    """

    def __init__(self, *layers: Any) -> None:
        super().__init__()
        self._layers: list = []
        for layer in layers:
            self.append(layer)

    def __len__(self) -> int:
        return len(self._layers)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return Sequential(*self._layers[i])
        return self._layers[i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._layers)

    def __setitem__(self, i: int, layer: Any) -> None:
        self._check(layer)
        old = self._layers[i]
        self._layers[i] = layer
        self._sync(old)

    def __delitem__(self, i: int) -> None:
        old = self._layers[i]
        del self._layers[i]
        self._sync(old)

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            return NotImplemented
        return Sequential(*(list(self._layers) + list(other._layers)))

    def __mul__(self, n: int) -> Sequential:
        return self.repeat(n)

    __rmul__ = __mul__

    @staticmethod
    def _check(layer: Any) -> None:
        if not callable(layer):
            raise ValueError(f"Sequential: a layer must be callable, got {type(layer).__name__}")

    def _sync(self, removed: Any = None) -> None:
        children = [x for x in self._layers if isinstance(x, Link)]
        object.__setattr__(self, "_children", children)
        _structure_changed()
        for i, c in enumerate(children):
            c.name = str(i)

    def append(self, layer: Callable) -> None:
        """Add a layer at the end."""
        self._check(layer)
        self._layers.append(layer)
        if isinstance(layer, Link):
            super().add_link(layer)

    def insert(self, i: int, layer: Callable) -> None:
        """Insert a layer before position ``i``."""
        self._check(layer)
        self._layers.insert(i, layer)
        self._sync()

    def extend(self, layers: Any) -> None:
        """Append each of ``layers``."""
        for layer in layers:
            self.append(layer)

    def pop(self, i: int = -1) -> Any:
        """Remove and return the layer at ``i``."""
        layer = self._layers.pop(i)
        self._sync()
        return layer

    def remove(self, layer: Any) -> None:
        """Remove the first occurrence of ``layer``."""
        for i, x in enumerate(self._layers):
            if x is layer:
                del self[i]
                return
        raise ValueError("Sequential.remove: layer not found")

    def index(self, layer: Any) -> int:
        for i, x in enumerate(self._layers):
            if x is layer:
                return i
        raise ValueError("Sequential.index: layer not found")

    def count(self, layer: Any) -> int:
        return sum(1 for x in self._layers if x is layer)

    def count_by_layer_type(self, type_name: str) -> int:
        """The number of layers whose class or function name is ``type_name``."""
        return sum(1 for x in self._layers
                   if getattr(x, "__name__", type(x).__name__) == type_name)

    def flatten(self) -> Sequential:
        """A Sequential with nested Sequentials expanded."""
        out: list = []
        for x in self._layers:
            if isinstance(x, Sequential):
                out.extend(x.flatten()._layers)
            else:
                out.append(x)
        return Sequential(*out)

    def forward(self, *x: Any) -> Any:
        """Apply each layer to the previous output (tuples are unpacked as arguments)."""
        if not self._layers:
            raise RuntimeError("Sequential: no layers to call")
        for layer in self._layers:
            x = layer(*x) if isinstance(x, tuple) else layer(x)
        return x

    def copy(self, mode: str = "share") -> Sequential:
        ret = Sequential()
        for layer in self._layers:
            ret.append(layer.copy(mode) if isinstance(layer, Link) else layer)
        return ret

    def __repr__(self) -> str:
        if not self._layers:
            return "Sequential()"
        lines = ["Sequential("]
        for i, x in enumerate(self._layers):
            r = repr(x) if isinstance(x, Link) else getattr(x, "__name__", repr(x))
            lines.append(f"  ({i}): " + r.replace("\n", "\n  ") + ",")
        lines.append(")")
        return "\n".join(lines)
