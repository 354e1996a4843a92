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
from typing import Any

from kusari.utils.hook_registry import HookRegistry

_registry = HookRegistry("FunctionHook")
#: How many function hooks are registered anywhere; while zero, ``apply`` and backward
#: look no hook up (see :class:`~kusari.utils.hook_registry.HookRegistry`).
_registered = _registry.count


def get_function_hooks() -> collections.OrderedDict:
    """The function hooks registered in this thread with ``with``, by name.

    Returns:
        An ``OrderedDict`` from name to :class:`FunctionHook` (the registry itself).

    Example:
        >>> len(get_function_hooks())
        0
    """
    return _registry.hooks()


def _hooks_of(function: Any) -> list:
    """The hooks that apply to ``function``: this thread's global hooks, then its own."""
    return _registry.of(function._local_function_hooks)


def _add_local(registry: collections.OrderedDict, hook: Any, name: str | None,
              owner: Any) -> None:
    """Register ``hook`` in ``owner``'s own ``registry`` (``FunctionNode.add_hook``)."""
    _registry.add_local(registry, hook, name, owner, FunctionHook)


def _delete_local(registry: collections.OrderedDict, name: str, owner: Any) -> None:
    """Unregister ``name`` from ``owner``'s own ``registry`` (``delete_hook``)."""
    _registry.delete_local(registry, name, owner)


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
        _registry.enter(self)
        return self

    def __exit__(self, *_: Any) -> None:
        _registry.exit(self)

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
