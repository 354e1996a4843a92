"""Link hooks: callbacks run around a link's ``forward`` when the link is called.

A hook registered with ``with hook:`` applies to every link called in the block, in this
thread; one registered with :meth:`Link.add_hook` applies to that link only.

Example:
    >>> import numpy
    >>> import kusari, kusari.links as L
    >>> class Names(kusari.LinkHook):
    ...     name = "Names"
    ...     def __init__(self):
    ...         self.seen = []
    ...     def forward_preprocess(self, args):
    ...         self.seen.append(type(args.link).__name__)
    >>> with Names() as hook:
    ...     y = L.Linear(2, 3)(numpy.ones((1, 2), numpy.float32))
    >>> hook.seen
    ['Linear']
"""

from __future__ import annotations

import collections
from typing import Any

from kusari.utils.hook_registry import HookRegistry

_registry = HookRegistry("LinkHook")
#: How many link hooks are registered anywhere; while zero, calling a link looks no
#: hook up (see :class:`~kusari.utils.hook_registry.HookRegistry`).
_registered = _registry.count


def get_link_hooks() -> collections.OrderedDict:
    """The link hooks registered in this thread with ``with``, by name.

    Example:
        >>> len(get_link_hooks())
        0
    """
    return _registry.hooks()


def _hooks_of(link: Any) -> list:
    """The hooks that apply to ``link``: this thread's global hooks, then its own."""
    return _registry.of(link.__dict__.get("_local_link_hooks"))


class _ForwardPreprocessCallbackArgs:
    """What :meth:`LinkHook.forward_preprocess` receives: ``link``, ``forward_name``
    (``'forward'``), ``args`` and ``kwargs`` of the call."""

    def __init__(self, link: Any, forward_name: str, args: tuple, kwargs: dict) -> None:
        self.link = link
        self.forward_name = forward_name
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} link={self.link!r}, "
                f"forward_name={self.forward_name!r}, args={self.args!r}, "
                f"kwargs={self.kwargs!r}>")


class _ForwardPostprocessCallbackArgs(_ForwardPreprocessCallbackArgs):
    """What :meth:`LinkHook.forward_postprocess` receives: as for preprocessing, and
    ``out``, the value ``forward`` returned."""

    def __init__(self, link: Any, forward_name: str, args: tuple, kwargs: dict,
                 out: Any) -> None:
        super().__init__(link, forward_name, args, kwargs)
        self.out = out

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", out={self.out!r}>"


class LinkHook:
    """Base class of link hooks: every callback does nothing unless overridden.

    ``forward_preprocess(args)`` and ``forward_postprocess(args)`` run before and after
    the link's ``forward``; ``added``/``deleted`` when the hook is registered and removed
    (with the link, or None for a ``with`` registration).

    Attributes:
        name: The registry key (unique among the hooks of a thread or a link).

    Example:
        >>> import numpy, kusari.links as L
        >>> with LinkHook():
        ...     L.Linear(2, 3)(numpy.ones((1, 2), numpy.float32)).shape
        (1, 3)
    """

    name = "LinkHook"

    def __enter__(self) -> LinkHook:
        _registry.enter(self)
        return self

    def __exit__(self, *_: Any) -> None:
        _registry.exit(self)

    def added(self, link: Any) -> None:
        """Called on registration (``link`` is None for a ``with`` block)."""

    def deleted(self, link: Any) -> None:
        """Called on removal (``link`` is None for a ``with`` block)."""

    def forward_preprocess(self, args: _ForwardPreprocessCallbackArgs) -> None:
        """Called before the link's ``forward``."""

    def forward_postprocess(self, args: _ForwardPostprocessCallbackArgs) -> None:
        """Called after the link's ``forward``; ``args.out`` is its result."""
