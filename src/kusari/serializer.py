"""Bases of the serializer protocol used for snapshots.

An object that can be saved defines ``serialize(serializer)``. It calls
``serializer(key, value)`` for each value it owns and ``serializer[name]`` to hand
a child its own sub-namespace. The same method both saves and loads: a
:class:`Serializer` records ``value`` and returns it, a :class:`Deserializer`
returns the stored value (copying into ``value`` in place when it is an array).

Example:
    >>> from kusari import serializers
    >>> class Counter:
    ...     def __init__(self):
    ...         self.count = 0
    ...     def serialize(self, serializer):
    ...         self.count = serializer('count', self.count)
    >>> s = serializers.DictionarySerializer()
    >>> s.save(Counter())
    >>> sorted(s.target)
    ['count']
"""

from __future__ import annotations

from typing import Any


class AbstractSerializer:
    """The interface shared by serializers and deserializers.

    Subclasses implement ``__getitem__`` (a child for a sub-namespace) and
    ``__call__`` (save or load one value).
    """

    def __getitem__(self, key: str) -> AbstractSerializer:
        """The child serializer for the namespace ``key``.

        Args:
            key: Name of the child (a link name, ``'optimizer'``...).

        Returns:
            A serializer of the same kind whose keys are prefixed by ``key/``.
        """
        raise NotImplementedError

    def __call__(self, key: str, value: Any) -> Any:
        """Save or load one value.

        Args:
            key: Name of the value inside the current namespace.
            value: The value to save; for a deserializer, the current value (an array
                to fill in place, a scalar whose type the loaded value takes, or None).

        Returns:
            The saved ``value`` (serializer) or the loaded value (deserializer).
        """
        raise NotImplementedError


class Serializer(AbstractSerializer):
    """Base of serializers, which write values out."""

    def save(self, obj: Any) -> None:
        """Save ``obj`` by calling ``obj.serialize(self)``.

        Args:
            obj: Any object with a ``serialize(serializer)`` method.
        """
        obj.serialize(self)


class Deserializer(AbstractSerializer):
    """Base of deserializers, which read values back."""

    def load(self, obj: Any) -> None:
        """Load ``obj`` by calling ``obj.serialize(self)``.

        Args:
            obj: Any object with a ``serialize(serializer)`` method.
        """
        obj.serialize(self)
