"""ParameterStatistics: report statistics of the parameters and gradients of links."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kusari import backend, reporter
from kusari.training import _optional, extension
from kusari.training import trigger as trigger_module

__all__ = ["ParameterStatistics"]

_PERCENTILE_SIGMAS = (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)


def _default_statistics() -> dict[str, Callable[[Any], Any]]:
    def xp_of(x: Any) -> Any:
        return backend.get_array_module(x)

    return {
        "mean": lambda x: xp_of(x).mean(x),
        "std": lambda x: xp_of(x).std(x),
        "min": lambda x: xp_of(x).min(x),
        "max": lambda x: xp_of(x).max(x),
        "zeros": lambda x: xp_of(x).count_nonzero(x == 0),
        "percentile": lambda x: xp_of(x).percentile(x, _PERCENTILE_SIGMAS),
    }


class ParameterStatistics(extension.Extension):
    """Report ``{link name}{param path}/{data|grad}/{statistic}`` for every parameter.

    The statistics are computed at every call (every iteration by default) and their means
    over each ``trigger`` interval are reported when it fires. Statistics returning an array
    (``percentile``) are reported element by element as ``.../percentile/0``,
    ``.../percentile/1``... Values stay on their device until reported.

    Args:
        links: A link or links whose parameters are observed.
        statistics: Dict of name to function of an array, or ``'default'`` (mean, std,
            min, max, zeros, percentile).
        report_params: Report statistics of the parameter values.
        report_grads: Report statistics of the gradients.
        prefix: Prefix of every key.
        trigger: When to report the means of the statistics.
        skip_nan_params: For a parameter containing NaN, record NaN instead of computing
            the statistics.

    Example:
        >>> # trainer.extend(ParameterStatistics(model))
        >>> ParameterStatistics([]).default_name
        'parameter_statistics'
    """

    default_name = "parameter_statistics"
    priority = extension.PRIORITY_WRITER

    def __init__(
        self,
        links: Any,
        statistics: str | dict[str, Callable] = "default",
        report_params: bool = True,
        report_grads: bool = True,
        prefix: str | None = None,
        trigger: Any = (1, "epoch"),
        skip_nan_params: bool = False,
    ) -> None:
        self._links = (
            list(links)
            if isinstance(links, Iterable) and not hasattr(links, "namedparams")
            else [links]
        )
        if statistics == "default":
            statistics = _default_statistics()
        self._statistics = dict(statistics)
        attrs = []
        if report_params:
            attrs.append("data")
        if report_grads:
            attrs.append("grad")
        self._attrs = attrs
        self._prefix = prefix
        self._trigger = trigger_module.get_trigger(trigger)
        self._summary = reporter.DictSummary()
        self._skip_nan_params = skip_nan_params

    def __call__(self, trainer: Any) -> None:
        """Add the statistics of the current parameters to the running summary; when the
        trigger fires, report the means over the interval and start a new summary."""
        stats: dict[str, Any] = {}
        prefix = "" if self._prefix is None else self._prefix + "/"
        for link in self._links:
            link_name = getattr(link, "name", None)
            for param_name, param in link.namedparams():
                for attr in self._attrs:
                    array = param.array if attr == "data" else param.grad
                    if array is None:
                        continue
                    base = f"{prefix}{link_name}{param_name}/{attr}/"
                    xp = backend.get_array_module(array)
                    if self._skip_nan_params and bool(xp.isnan(array).any()):
                        for fname in self._statistics:
                            stats[base + fname] = float("nan")
                        continue
                    for fname, func in self._statistics.items():
                        value = func(array)
                        if getattr(value, "ndim", 0) == 0:
                            stats[base + fname] = value
                        else:
                            for i, v in enumerate(value):
                                stats[f"{base}{fname}/{i}"] = v
        self._summary.add(stats)
        if self._trigger(trainer):
            reporter.report(self._summary.compute_mean())
            self._summary = reporter.DictSummary()

    def register_statistics(self, name: str, function: Callable[[Any], Any]) -> None:
        """Add a statistic ``function(array)`` reported under ``name``."""
        self._statistics[name] = function

    def serialize(self, serializer: Any) -> None:
        """Save or load the trigger and the running summary."""
        _optional.child(self._trigger, serializer, "_trigger")
        _optional.child(self._summary, serializer, "_summary")
