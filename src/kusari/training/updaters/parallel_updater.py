"""Data-parallel updater: split each batch over model copies on several devices."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from kusari import backend, configuration
from kusari.dataset import convert
from kusari.training.updaters.standard_updater import StandardUpdater

__all__ = ["ParallelUpdater"]


class ParallelUpdater(StandardUpdater):
    """Run one batch split over several copies of the model, then one optimizer step.

    The batch is split round-robin (``batch[i::n]``) over the models; every copy computes
    its loss and gradients, the gradients are summed into the main model, the optimizer
    updates it and the copies receive the new parameters.

    Args:
        iterator: A dataset iterator (or dict with ``'main'``).
        optimizer: The optimizer of the main model (or dict with ``'main'``).
        converter: ``converter(batch, device)``.
        models: Dict of models by name, ``'main'`` being the optimizer's target; built from
            ``devices`` by deep copies when None.
        devices: Dict of devices by name; must contain ``'main'`` when ``models`` is None.
        loss_func: Loss function; each model itself when None.
        loss_scale: Scale of the loss for backward.
        auto_new_epoch: Call ``optimizer.new_epoch(auto=True)`` at each epoch's end.

    Raises:
        ValueError: If neither ``models`` nor ``devices`` is given.
        KeyError: If ``devices`` has no ``'main'`` entry.

    Example:
        >>> # ParallelUpdater(it, opt, devices={'main': '@cupy:0', 'second': '@cupy:1'})
        >>> ParallelUpdater.__name__
        'ParallelUpdater'
    """

    def __init__(
        self,
        iterator: Any,
        optimizer: Any,
        converter: Callable[..., Any] = convert.concat_examples,
        models: dict[str, Any] | None = None,
        devices: dict[str, Any] | None = None,
        loss_func: Callable[..., Any] | None = None,
        loss_scale: float | None = None,
        auto_new_epoch: bool = True,
    ) -> None:
        super().__init__(
            iterator,
            optimizer,
            converter=converter,
            loss_func=loss_func,
            loss_scale=loss_scale,
            auto_new_epoch=auto_new_epoch,
        )
        main_model = self._optimizers["main"].target
        if models is None:
            if devices is None:
                raise ValueError("ParallelUpdater: either models or devices must be given")
            if "main" not in devices:
                raise KeyError(
                    f"ParallelUpdater: devices must have a 'main' entry, got keys "
                    f"{sorted(devices)}"
                )
            devices = {k: backend.get_device(d) for k, d in devices.items()}
            models = {"main": main_model}
            for name in devices:
                if name != "main":
                    models[name] = copy.deepcopy(main_model).to_device(devices[name])
            main_model.to_device(devices["main"])
        elif devices is None:
            devices = {k: m.device for k, m in models.items()}
        else:
            devices = {k: backend.get_device(d) for k, d in devices.items()}
        self._models = models
        self._devices = devices

    def connect_trainer(self, trainer: Any) -> None:
        """Register the model copies as reporter observers under their names."""
        main_model = self._optimizers["main"].target
        for name, model in self._models.items():
            if model is not main_model:
                trainer.reporter.add_observer(name, model)
                trainer.reporter.add_observers(name, model.namedlinks(skipself=True))

    def update_core(self) -> None:
        """One data-parallel step."""
        optimizer = self._optimizers["main"]
        main_model = optimizer.target
        others = [m for m in self._models.values() if m is not main_model]
        iterator = self._iterators["main"]
        batch = iterator.next()
        n = len(self._models)
        losses = []
        for i, (name, model) in enumerate(self._models.items()):
            in_arrays = convert._call_converter(self.converter, batch[i::n], self._devices[name])
            loss_func = self.loss_func or model
            with configuration.force_backprop_mode(), backend.using_device(self._devices[name]):
                if isinstance(in_arrays, tuple):
                    loss = loss_func(*in_arrays)
                elif isinstance(in_arrays, dict):
                    loss = loss_func(**in_arrays)
                else:
                    loss = loss_func(in_arrays)
            losses.append(loss)
        for model in self._models.values():
            model.cleargrads()
        for loss in losses:
            loss.backward(loss_scale=self.loss_scale)
        for model in others:
            main_model.addgrads(model)
        optimizer.update()
        for model in others:
            model.copyparams(main_model)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)
