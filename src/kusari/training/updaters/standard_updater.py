"""The standard updater: one batch, one optimizer step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari import backend
from kusari.dataset import convert
from kusari.training._updater import Updater

__all__ = ["StandardUpdater"]


def _as_dict(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        # optimizers need no 'main' entry: custom updaters (a GAN's 'gen' and 'dis')
        # override update_core; the iterator dict needs one (epochs are counted on it)
        if what == "iterator" and "main" not in value:
            raise ValueError(
                f"StandardUpdater: the {what} dict must have a 'main' entry, "
                f"got keys {sorted(value)}"
            )
        return dict(value)
    return {"main": value}


class StandardUpdater(Updater):
    """Take a batch from the main iterator, convert it and update the main optimizer.

    The batch goes through ``converter(batch, input_device)``; the result is unpacked into
    ``optimizer.update(loss_func, *arrays)`` (a tuple), ``**arrays`` (a dict) or passed as
    one argument.

    Args:
        iterator: A dataset iterator, or a dict of them with a ``'main'`` entry.
        optimizer: An optimizer set up with its target, or a dict of them by name (the
            default :meth:`update_core` uses ``'main'``; a custom one may use others).
        converter: Function ``converter(batch, device)`` building the arrays.
        device: Device the model is sent to (and the default ``input_device``).
        loss_func: Loss function; the main optimizer's target when None.
        loss_scale: Scale of the loss for backward (for float16 training).
        auto_new_epoch: Call ``optimizer.new_epoch(auto=True)`` at each epoch's end.
        input_device: Device the converter sends arrays to (default: ``device``).

    Raises:
        ValueError: If a dict of iterators has no ``'main'`` entry.

    Example:
        >>> # updater = StandardUpdater(train_iter, optimizer, device='@numpy')
        >>> StandardUpdater.__name__
        'StandardUpdater'
    """

    def __init__(
        self,
        iterator: Any,
        optimizer: Any,
        converter: Callable[..., Any] = convert.concat_examples,
        device: Any = None,
        loss_func: Callable[..., Any] | None = None,
        loss_scale: float | None = None,
        auto_new_epoch: bool = True,
        *,
        input_device: Any = None,
    ) -> None:
        self._iterators = _as_dict(iterator, "iterator")
        self._optimizers = _as_dict(optimizer, "optimizer")
        if device is not None:
            device = backend.get_device(device)
            for opt in self._optimizers.values():
                opt.target.to_device(device)
        self.device = device
        self.input_device = device if input_device is None else backend.get_device(input_device)
        self.converter = converter
        self.loss_func = loss_func
        self.loss_scale = loss_scale
        if loss_scale is not None:
            for opt in self._optimizers.values():
                opt.set_loss_scale(loss_scale)
        self.auto_new_epoch = auto_new_epoch
        if auto_new_epoch:
            for opt in self._optimizers.values():
                opt.use_auto_new_epoch = True
        self.iteration = 0

    @property
    def epoch(self) -> int:
        """Completed epochs of the main iterator."""
        return self._iterators["main"].epoch

    @property
    def epoch_detail(self) -> float:
        """Fractional epoch of the main iterator."""
        return self._iterators["main"].epoch_detail

    @property
    def previous_epoch_detail(self) -> float | None:
        """``epoch_detail`` before the last batch (None before the first one)."""
        return self._iterators["main"].previous_epoch_detail

    @property
    def is_new_epoch(self) -> bool:
        """Whether the last batch ended an epoch."""
        return self._iterators["main"].is_new_epoch

    def finalize(self) -> None:
        """Finalize all iterators."""
        for iterator in self._iterators.values():
            iterator.finalize()

    def get_optimizer(self, name: str) -> Any:
        """The optimizer registered as ``name``."""
        return self._optimizers[name]

    def get_all_optimizers(self) -> dict[str, Any]:
        """A new dict of all optimizers, by name."""
        return dict(self._optimizers)

    def get_iterator(self, name: str) -> Any:
        """The iterator registered as ``name``."""
        return self._iterators[name]

    def update(self) -> None:
        """Run :meth:`update_core` and count the iteration."""
        self.update_core()
        self.iteration += 1

    def update_core(self) -> None:
        """One step: next batch, convert, ``optimizer.update(loss_func, ...)``."""
        iterator = self._iterators["main"]
        batch = iterator.next()
        in_arrays = convert._call_converter(self.converter, batch, self.input_device)
        optimizer = self._optimizers["main"]
        loss_func = self.loss_func or optimizer.target
        if isinstance(in_arrays, tuple):
            optimizer.update(loss_func, *in_arrays)
        elif isinstance(in_arrays, dict):
            optimizer.update(loss_func, **in_arrays)
        else:
            optimizer.update(loss_func, in_arrays)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def serialize(self, serializer: Any) -> None:
        """Save or load iterators (``iterator:NAME``), optimizers (``optimizer:NAME``),
        their targets (``model:NAME``) and ``iteration``."""
        for name, iterator in self._iterators.items():
            iterator.serialize(serializer["iterator:" + name])
        for name, optimizer in self._optimizers.items():
            optimizer.serialize(serializer["optimizer:" + name])
            optimizer.target.serialize(serializer["model:" + name])
        self.iteration = serializer("iteration", self.iteration)
