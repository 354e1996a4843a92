"""The trainer: the training loop, its extensions and its stop condition."""

from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any

from kusari import reporter as reporter_module
from kusari import serializer as serializer_module
from kusari.training import _random_state
from kusari.training import extension as extension_module
from kusari.training import trigger as trigger_module

__all__ = ["Trainer"]


@dataclass
class _ExtensionEntry:
    extension: Any
    priority: int
    trigger: Any
    call_before_training: bool


class Trainer:
    """Run the training loop: update, then call each extension whose trigger fires.

    Each iteration starts a fresh ``observation`` dictionary into which the reporter
    collects values (``main/loss`` when the main optimizer's target reports ``loss``).
    Extensions run in decreasing priority.

    Args:
        updater: The updater running one training step per call.
        stop_trigger: When to stop: a trigger or a ``(length, unit)`` tuple; None trains
            until interrupted.
        out: Output directory of extensions (logs, snapshots, plots).
        extensions: Extensions to add with their default settings.

    Example:
        >>> # trainer = Trainer(updater, (20, 'epoch'), out='result')
        >>> # trainer.extend(extensions.LogReport()); trainer.run()
        >>> Trainer.__name__
        'Trainer'
    """

    def __init__(
        self,
        updater: Any,
        stop_trigger: Any = None,
        out: str = "result",
        extensions: list[Any] | None = None,
    ) -> None:
        self.updater = updater
        self.stop_trigger = trigger_module.get_trigger(stop_trigger)
        self.observation: dict[str, Any] = {}
        self.out = out
        self.reporter = reporter_module.Reporter()
        for name, optimizer in updater.get_all_optimizers().items():
            self.reporter.add_observer(name, optimizer.target)
            self.reporter.add_observers(name, optimizer.target.namedlinks(skipself=True))
        self._extensions: dict[str, _ExtensionEntry] = {}
        self._start_at: float | None = None
        self._snapshot_elapsed_time = 0.0
        self._final_elapsed_time: float | None = None
        self._done = False
        updater.connect_trainer(self)
        for ext in extensions or ():
            self.extend(ext)

    @property
    def elapsed_time(self) -> float:
        """Seconds spent in training, including time before a resumed snapshot.

        Raises:
            RuntimeError: If training has not started.
        """
        if self._done:
            return self._final_elapsed_time
        if self._start_at is None:
            raise RuntimeError("Trainer.elapsed_time: training has not been started yet")
        return time.perf_counter() - self._start_at + self._snapshot_elapsed_time

    @property
    def is_before_training(self) -> bool:
        """True before the first update."""
        return self.updater.iteration == 0

    def extend(
        self,
        extension: Any,
        name: str | None = None,
        trigger: Any = None,
        priority: int | None = None,
        *,
        call_before_training: bool = False,
        **kwargs: Any,
    ) -> None:
        """Register an extension.

        Args:
            extension: A callable ``extension(trainer)``, usually an :class:`Extension`.
            name: Its name (default: ``extension.name``, ``default_name`` or ``__name__``);
                a taken name gets a ``_1``, ``_2``... suffix.
            trigger: When it runs (default: ``extension.trigger`` or every iteration).
            priority: Its order (default: ``extension.priority`` or PRIORITY_READER).
            call_before_training: Also call it once before the first update.

        Raises:
            TypeError: If no name can be found, or for unknown keyword arguments.
            ValueError: If the name is ``'training'``.
        """
        if kwargs:
            raise TypeError(f"Trainer.extend: unexpected keyword arguments {sorted(kwargs)}")
        if name is None:
            name = (
                getattr(extension, "name", None)
                or getattr(extension, "default_name", None)
                or getattr(extension, "__name__", None)
            )
        if name is None:
            raise TypeError(f"Trainer.extend: no name given for extension {extension!r}")
        if name == "training":
            raise ValueError('Trainer.extend: the name "training" is reserved')
        if trigger is None:
            trigger = getattr(extension, "trigger", (1, "iteration"))
        if priority is None:
            priority = getattr(extension, "priority", extension_module.PRIORITY_READER)
        unique, ordinal = name, 0
        while unique in self._extensions:
            ordinal += 1
            unique = f"{name}_{ordinal}"
        try:
            extension.name = unique
        except AttributeError:  # e.g. a bound method: it keeps no name of its own
            pass
        self._extensions[unique] = _ExtensionEntry(
            extension, priority, trigger_module.get_trigger(trigger), call_before_training
        )

    def get_extension(self, name: str) -> Any:
        """The extension registered as ``name``.

        Raises:
            ValueError: If there is none.
        """
        entry = self._extensions.get(name)
        if entry is None:
            raise ValueError(
                f"Trainer.get_extension: no extension named {name!r}; "
                f"registered: {sorted(self._extensions)}"
            )
        return entry.extension

    def run(self, show_loop_exception_msg: bool = True) -> None:
        """Run the training loop until the stop trigger fires.

        Extensions are initialized first (those resuming from a snapshot, i.e. with
        ``autoload`` set, before the others, so the others see the restored state) and
        finalized at the end, also when the loop raises.

        Args:
            show_loop_exception_msg: Print the exception of a failed loop to stderr.

        Raises:
            RuntimeError: If called twice.
        """
        if self._done:
            raise RuntimeError("Trainer.run: the training loop can run only once")
        os.makedirs(self.out, exist_ok=True)
        entries = sorted(self._extensions.values(), key=lambda e: e.priority, reverse=True)
        self._start_at = time.perf_counter()
        self._initialize_extensions(entries)
        update, reporter, stop_trigger = self.updater.update, self.reporter, self.stop_trigger
        try:
            self.observation = {}
            with reporter.scope(self.observation):
                for entry in entries:
                    if entry.call_before_training:
                        entry.extension(self)
            while not stop_trigger(self):
                self.observation = {}
                with reporter.scope(self.observation):
                    update()
                    for entry in entries:
                        if entry.trigger(self):
                            entry.extension(self)
        except Exception as e:
            self._on_error(entries, e, show_loop_exception_msg)
            raise
        finally:
            for entry in entries:
                finalize = getattr(entry.extension, "finalize", None)
                if finalize:
                    finalize()
            self.updater.finalize()
            self._final_elapsed_time = self.elapsed_time
            self._done = True

    def _initialize_extensions(self, entries: list[_ExtensionEntry]) -> None:
        # Snapshots that resume (autoload) first: the others then see the restored state.
        for entry in sorted(
            entries, key=lambda e: getattr(e.extension, "autoload", False) is not True
        ):
            initialize = getattr(entry.extension, "initialize", None)
            if initialize and not getattr(entry.trigger, "finished", False):
                initialize(self)

    def _on_error(
        self, entries: list[_ExtensionEntry], error: Exception, show_message: bool
    ) -> None:
        if show_message:
            print(
                f"Exception in main training loop: {error}\n"
                + "".join(traceback.format_exception(error))
                + "Finalizing trainer extensions and updater before re-raising.",
                file=sys.stderr,
            )
        for entry in entries:
            on_error = getattr(entry.extension, "on_error", None)
            if on_error:
                try:
                    on_error(self, error, error.__traceback__)
                except Exception as handler_error:
                    print(
                        f"Exception in the on_error of {entry.extension.name}: {handler_error!r}",
                        file=sys.stderr,
                    )

    def serialize(self, serializer: serializer_module.AbstractSerializer) -> None:
        """Save or load the whole training state.

        Keys: ``updater/``, ``stop_trigger/``, ``extensions/NAME/``,
        ``extension_triggers/NAME/``, ``_snapshot_elapsed_time`` and ``random_state/``
        (NumPy's and Python's global generators).
        """
        self.updater.serialize(serializer["updater"])
        if hasattr(self.stop_trigger, "serialize"):
            self.stop_trigger.serialize(serializer["stop_trigger"])
        extensions, triggers = serializer["extensions"], serializer["extension_triggers"]
        for name, entry in self._extensions.items():
            if hasattr(entry.extension, "serialize"):
                entry.extension.serialize(extensions[name])
            if hasattr(entry.trigger, "serialize"):
                entry.trigger.serialize(triggers[name])
        if isinstance(serializer, serializer_module.Serializer):
            elapsed = self._snapshot_elapsed_time if self._start_at is None else self.elapsed_time
            serializer("_snapshot_elapsed_time", elapsed)
        else:
            self._snapshot_elapsed_time = float(serializer("_snapshot_elapsed_time", 0.0))
            if self._start_at is not None:
                self._start_at = time.perf_counter()
        _random_state.serialize(serializer["random_state"])
