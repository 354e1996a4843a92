"""Serialization of state that older snapshots (e.g. Chainer's) may not hold.

With a serializer these helpers save as usual. With a deserializer a missing key keeps the
current value, so a snapshot written by Chainer 7, which stores less state for some
extensions and triggers, still loads with ``strict=True``.
"""

from __future__ import annotations

from typing import Any


def value(serializer: Any, key: str, current: Any) -> Any:
    """``serializer(key, current)``, or ``current`` when loading and ``key`` is missing."""
    try:
        return serializer(key, current)
    except KeyError:
        return current


def child(obj: Any, serializer: Any, name: str) -> None:
    """``obj.serialize(serializer[name])`` if ``obj`` can; skip a subtree missing on load."""
    if not hasattr(obj, "serialize"):
        return
    try:
        obj.serialize(serializer[name])
    except KeyError:
        pass
