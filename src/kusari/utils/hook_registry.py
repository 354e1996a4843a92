"""Where function hooks and link hooks are registered: per thread for ``with`` blocks,
per object for ``add_hook``, with one process-wide count that lets the hot paths skip
every lookup while no hook exists.

Example:
    >>> registry = HookRegistry("FunctionHook")
    >>> registry.count[0], len(registry.hooks())
    (0, 0)
"""

from __future__ import annotations

import collections
import threading
from typing import Any


class HookRegistry:
    """The hooks of one kind (function hooks or link hooks).

    Args:
        kind: The base class's name, for error messages.

    Attributes:
        count: ``[n]``: the hooks registered anywhere (every thread's ``with`` hooks and
            every object's own). An object dropped with hooks still registered keeps
            them counted: that only keeps the lookups on, it never calls a wrong hook.

    Example:
        >>> registry = HookRegistry("LinkHook")
        >>> registry.of(None)  # no hook in this thread, none of the object's own
        []
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.count = [0]
        self._thread_local = threading.local()
        self._lock = threading.Lock()

    def _change(self, delta: int) -> None:
        with self._lock:  # registrations in two threads at once must not lose a count
            self.count[0] += delta

    def hooks(self) -> collections.OrderedDict:
        """This thread's ``with`` hooks, by name (the registry itself)."""
        try:
            return self._thread_local.hooks
        except AttributeError:
            ret = self._thread_local.hooks = collections.OrderedDict()
            return ret

    def of(self, local: collections.OrderedDict | None) -> list:
        """The hooks that apply to an object with its own hooks ``local``: this
        thread's ``with`` hooks, then the object's."""
        hooks = self.hooks()
        if local:
            merged = collections.OrderedDict(hooks)
            merged.update(local)
            return list(merged.values())
        return list(hooks.values())

    def enter(self, hook: Any) -> None:
        """Register ``hook`` for this thread (``with hook:``) and call ``added(None)``.

        Raises:
            KeyError: A hook of that name is registered in this thread.
        """
        hooks = self.hooks()
        if hook.name in hooks:
            raise KeyError(f"hook {hook.name} already exists")
        hooks[hook.name] = hook
        self._change(1)
        hook.added(None)

    def exit(self, hook: Any) -> None:
        """Unregister ``hook`` from this thread after calling ``deleted(None)``."""
        hooks = self.hooks()
        hooks[hook.name].deleted(None)
        del hooks[hook.name]
        self._change(-1)

    def add_local(self, registry: collections.OrderedDict, hook: Any, name: str | None,
                  owner: Any, base: type) -> None:
        """Register ``hook`` in ``owner``'s own ``registry`` and call ``added(owner)``.

        Raises:
            TypeError: ``hook`` is not an instance of ``base``.
            KeyError: ``owner`` has a hook of that name.
        """
        if not isinstance(hook, base):
            raise TypeError(f"add_hook: hook must be a {self.kind}, got {type(hook).__name__}")
        if name is None:
            name = hook.name
        if name in registry:
            raise KeyError(f"Hook {name} already exists")
        registry[name] = hook
        self._change(1)
        hook.added(owner)

    def delete_local(self, registry: collections.OrderedDict, name: str,
                     owner: Any) -> None:
        """Unregister ``name`` from ``owner``'s own ``registry`` after ``deleted(owner)``.

        Raises:
            KeyError: ``owner`` has no hook of that name.
        """
        if name not in registry:
            raise KeyError(f"Hook {name} does not exist")
        registry[name].deleted(owner)
        del registry[name]
        self._change(-1)
