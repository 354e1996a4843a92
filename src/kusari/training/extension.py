"""Base of trainer extensions and the ``make_extension`` decorator.

An extension is a callable ``extension(trainer)`` that the :class:`~kusari.training.Trainer`
invokes when its trigger fires. Extensions run in decreasing ``priority``: writers (which
add to the observation) before editors before readers (which log it).

Example:
    >>> from kusari import training
    >>> @training.make_extension(trigger=(1, 'epoch'))
    ... def hello(trainer):
    ...     print('epoch', trainer.updater.epoch)
    >>> hello.trigger
    (1, 'epoch')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Extension", "make_extension", "PRIORITY_WRITER", "PRIORITY_EDITOR", "PRIORITY_READER"]

PRIORITY_WRITER = 300
"""Priority of extensions that write values into the observation."""
PRIORITY_EDITOR = 200
"""Priority of extensions that edit the observation written by writers."""
PRIORITY_READER = 100
"""Priority of extensions that only read the observation (the default)."""


class Extension:
    """Base class of trainer extensions.

    Class attributes give the defaults :meth:`Trainer.extend` uses: ``trigger``
    (``(1, 'iteration')``), ``priority`` (:data:`PRIORITY_READER`) and ``name`` (None: the
    :attr:`default_name`, i.e. the class name).

    Example:
        >>> class CountCalls(Extension):
        ...     trigger = 1, 'epoch'
        ...     def __init__(self):
        ...         self.count = 0
        ...     def __call__(self, trainer):
        ...         self.count += 1
        >>> CountCalls().default_name
        'CountCalls'
    """

    trigger: Any = 1, "iteration"
    priority: int = PRIORITY_READER
    name: str | None = None

    @property
    def default_name(self) -> str:
        """The name used when neither ``name`` nor ``extend(name=...)`` is given."""
        return type(self).__name__

    def __call__(self, trainer: Any) -> None:
        """Run the extension; subclasses override this.

        Raises:
            NotImplementedError: Always, in the base class.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement __call__")

    def initialize(self, trainer: Any) -> None:
        """Called once before the training loop (also when resuming)."""

    def finalize(self) -> None:
        """Called once after the training loop, even when it fails."""

    def on_error(self, trainer: Any, exc: BaseException, tb: Any) -> None:
        """Called when the training loop raises ``exc`` (with traceback ``tb``)."""

    def serialize(self, serializer: Any) -> None:
        """Save or load the extension's state; stateless by default."""


def make_extension(
    trigger: Any = None,
    default_name: str | None = None,
    priority: int | None = None,
    finalizer: Callable[[], None] | None = None,
    initializer: Callable[[Any], None] | None = None,
    on_error: Callable[[Any, BaseException, Any], None] | None = None,
) -> Callable[[Callable], Callable]:
    """Decorator turning a function ``f(trainer)`` into an extension.

    Args:
        trigger: Default trigger (``(1, 'iteration')`` when None).
        default_name: Default name (the function's ``__name__`` when None).
        priority: Default priority (:data:`PRIORITY_READER` when None).
        finalizer: Called with no argument after training.
        initializer: Called with the trainer before training.
        on_error: Called with ``(trainer, exc, tb)`` when training fails.

    Returns:
        A decorator that sets these attributes on the function and returns it.

    Example:
        >>> @make_extension(priority=PRIORITY_WRITER)
        ... def noop(trainer):
        ...     pass
        >>> noop.priority, noop.default_name
        (300, 'noop')
    """

    def decorator(ext: Callable) -> Callable:
        ext.trigger = (1, "iteration") if trigger is None else trigger
        ext.default_name = default_name or ext.__name__
        ext.priority = PRIORITY_READER if priority is None else priority
        ext.finalize = finalizer
        ext.initialize = initializer
        ext.on_error = on_error
        return ext

    return decorator
