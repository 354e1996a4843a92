"""Function hooks: callbacks run around the forward and backward of every function node.

A hook registered with ``with hook:`` applies to every function applied in the block, in
this thread; one registered with :meth:`FunctionNode.add_hook` applies to that node only.

Example:
    >>> import numpy
    >>> import kusari, kusari.functions as F
    >>> class Names(kusari.FunctionHook):
    ...     name = "Names"
    ...     def __init__(self):
    ...         self.seen = []
    ...     def forward_preprocess(self, function, in_data):
    ...         self.seen.append(function.label)
    >>> with Names() as hook:
    ...     y = F.relu(numpy.ones(2, numpy.float32))
    >>> hook.seen
    ['ReLU']
"""

from __future__ import annotations

import collections
import threading
from typing import Any

_thread_local = threading.local()
_count_lock = threading.Lock()

#: How many hooks are registered anywhere (global hooks of every thread and nodes' local
#: hooks). While it is zero, ``apply`` and backward skip every hook lookup; a node that
#: dies with local hooks still registered only keeps the lookups on, never a wrong call.
_registered = [0]


def _count(delta: int) -> None:
    """Change the registered-hook count (under a lock: registrations may race)."""
    with _count_lock:
        _registered[0] += delta


def get_function_hooks() -> collections.OrderedDict:
    """The function hooks registered in this thread with ``with``, by name.

    Returns:
        An ``OrderedDict`` from name to :class:`FunctionHook` (the registry itself).

    Example:
        >>> len(get_function_hooks())
        0
    """
    try:
        return _thread_local.function_hooks
    except AttributeError:
        ret = _thread_local.function_hooks = collections.OrderedDict()
        return ret


def hooks_of(function: Any) -> list:
    """The hooks that apply to ``function``: this thread's global hooks, then its own."""
    hooks = get_function_hooks()
    local = function._local_function_hooks
    if local:
        merged = collections.OrderedDict(hooks)
        merged.update(local)
        return list(merged.values())
    return list(hooks.values())


def add_local(registry: collections.OrderedDict, hook: Any, name: str | None,
              owner: Any) -> None:
    """Register ``hook`` in ``owner``'s own ``registry`` (``FunctionNode.add_hook``)."""
    if not isinstance(hook, FunctionHook):
        raise TypeError(f"add_hook: hook must be a FunctionHook, got {type(hook).__name__}")
    if name is None:
        name = hook.name
    if name in registry:
        raise KeyError(f"Hook {name} already exists")
    registry[name] = hook
    _count(1)
    hook.added(owner)


def delete_local(registry: collections.OrderedDict, name: str, owner: Any) -> None:
    """Unregister ``name`` from ``owner``'s own ``registry`` (``delete_hook``)."""
    if name not in registry:
        raise KeyError(f"Hook {name} does not exist")
    registry[name].deleted(owner)
    del registry[name]
    _count(-1)


class FunctionHook:
    """Base class of function hooks: every callback does nothing unless overridden.

    ``forward_preprocess``/``forward_postprocess`` run before and after a function's
    forward, ``backward_preprocess``/``backward_postprocess`` before and after its
    backward; ``added``/``deleted`` when the hook is registered and removed (with the
    node, or None for a ``with`` registration).

    Attributes:
        name: The registry key (unique among the hooks of a thread or a node).

    Example:
        >>> import numpy, kusari.functions as F
        >>> with FunctionHook():
        ...     F.relu(numpy.zeros(1, numpy.float32)).shape
        (1,)
    """

    name = "FunctionHook"

    def __enter__(self) -> FunctionHook:
        hooks = get_function_hooks()
        if self.name in hooks:
            raise KeyError(f"hook {self.name} already exists")
        hooks[self.name] = self
        _count(1)
        self.added(None)
        return self

    def __exit__(self, *_: Any) -> None:
        hooks = get_function_hooks()
        hooks[self.name].deleted(None)
        del hooks[self.name]
        _count(-1)

    def added(self, function: Any) -> None:
        """Called on registration (``function`` is None for a ``with`` block)."""

    def deleted(self, function: Any) -> None:
        """Called on removal (``function`` is None for a ``with`` block)."""

    def forward_preprocess(self, function: Any, in_data: tuple) -> None:
        """Called before ``function``'s forward with its input arrays."""

    def forward_postprocess(self, function: Any, in_data: tuple) -> None:
        """Called after ``function``'s forward with its input arrays."""

    def backward_preprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        """Called before ``function``'s backward with its inputs' retained arrays (None
        where not retained) and its output gradient arrays (None where absent)."""

    def backward_postprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        """Called after ``function``'s backward with the same arguments as before it."""
