"""Evaluator: run the target over a validation iterator and report the means."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

from kusari import backend, configuration
from kusari import reporter as reporter_module
from kusari.dataset import convert
from kusari.training import extension

__all__ = ["Evaluator"]


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {"main": value}


class Evaluator(extension.Extension):
    """Evaluate the target on every batch of a validation iterator and report the means.

    Each batch runs with ``config.train = False`` and without backprop; the values the
    target reports are averaged over the whole dataset. As a trainer extension (name
    ``'validation'``) the means land in the observation as ``validation/main/loss`` etc.

    Args:
        iterator: Dataset iterator over the validation set (or dict with ``'main'``); it
            should not repeat (``repeat=False``) and is reset before each evaluation.
        target: Link to evaluate (or dict with ``'main'``); it reports its values.
        converter: ``converter(batch, device)``.
        device: Device the batches are sent to.
        eval_hook: Function called with the evaluator before each evaluation.
        eval_func: Function evaluating a batch (default: the main target).
        progress_bar: Show the evaluation's progress with tqdm (keyword).

    Raises:
        TypeError: For unknown keyword arguments.

    Example:
        >>> # trainer.extend(Evaluator(test_iter, model))
        >>> Evaluator.default_name
        'validation'
    """

    trigger = 1, "epoch"
    default_name = "validation"
    priority = extension.PRIORITY_WRITER
    name = None

    def __init__(
        self,
        iterator: Any,
        target: Any,
        converter: Callable[..., Any] = convert.concat_examples,
        device: Any = None,
        eval_hook: Callable[[Evaluator], None] | None = None,
        eval_func: Callable[..., Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._progress_bar = bool(kwargs.pop("progress_bar", False))
        if kwargs:
            raise TypeError(f"Evaluator: unexpected keyword arguments {sorted(kwargs)}")
        self._iterators = _as_dict(iterator)
        self._targets = _as_dict(target)
        self.converter = converter
        self.device = None if device is None else backend.get_device(device)
        self.eval_hook = eval_hook
        self.eval_func = eval_func

    def get_iterator(self, name: str) -> Any:
        """The iterator registered as ``name``."""
        return self._iterators[name]

    def get_all_iterators(self) -> dict[str, Any]:
        """All iterators, by name."""
        return dict(self._iterators)

    def get_target(self, name: str) -> Any:
        """The target registered as ``name``."""
        return self._targets[name]

    def get_all_targets(self) -> dict[str, Any]:
        """All targets, by name."""
        return dict(self._targets)

    def __call__(self, trainer: Any = None) -> dict[str, Any]:
        """Evaluate, report the means to the current reporter and return them.

        Returns:
            The means by key (``'validation/main/loss'``...), as scalars or 0-d arrays on
            the evaluation device.
        """
        reporter = reporter_module.Reporter()
        prefix = "" if self.name is None else self.name + "/"
        for name, target in self._targets.items():
            reporter.add_observer(prefix + name, target)
            reporter.add_observers(prefix + name, target.namedlinks(skipself=True))
        with reporter, configuration.using_config("train", False):
            result = self.evaluate()
        reporter_module.report(result)
        return result

    def evaluate(self) -> dict[str, Any]:
        """Run the evaluation function over the main iterator; the mean of each report.

        Returns:
            The means by observation key.
        """
        iterator = self._iterators["main"]
        eval_func = self.eval_func or self._targets["main"]
        if self.eval_hook is not None:
            self.eval_hook(self)
        if hasattr(iterator, "reset"):
            iterator.reset()
            it = iterator
        else:
            warnings.warn(
                "Evaluator: the iterator has no reset method; evaluating a "
                "shallow copy, which only works once for most iterators",
                UserWarning,
                stacklevel=2,
            )
            it = copy.copy(iterator)
        summary = reporter_module.DictSummary()
        if self._progress_bar:
            it = _with_progress(it)
        for batch in it:
            observation: dict[str, Any] = {}
            with reporter_module.report_scope(observation):
                in_arrays = convert._call_converter(self.converter, batch, self.device)
                with configuration.no_backprop_mode():
                    if isinstance(in_arrays, tuple):
                        eval_func(*in_arrays)
                    elif isinstance(in_arrays, dict):
                        eval_func(**in_arrays)
                    else:
                        eval_func(in_arrays)
            summary.add(observation)
        return summary.compute_mean()

    def finalize(self) -> None:
        """Finalize the iterators."""
        for iterator in self._iterators.values():
            iterator.finalize()


def _with_progress(iterator: Any) -> Any:
    from kusari.training.extensions.progress_bar import _import_tqdm

    tqdm = _import_tqdm()
    dataset, batch_size = getattr(iterator, "dataset", None), getattr(iterator, "batch_size", 0)
    total = -(-len(dataset) // batch_size) if dataset is not None and batch_size else None
    return tqdm(iterator, desc="validation", total=total, unit="batch", leave=False)
