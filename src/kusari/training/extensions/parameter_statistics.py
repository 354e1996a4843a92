"""ParameterStatistics: report statistics of the parameters and gradients of links."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kusari import backend, reporter
from kusari.training import extension
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

    Statistics returning an array (``percentile``) are reported element by element as
    ``.../percentile/0``, ``.../percentile/1``... Values stay on their device; LogReport
    averages them.

    Args:
        links: A link or links whose parameters are observed.
        statistics: Dict of name to function of an array, or ``'default'`` (mean, std,
            min, max, zeros, percentile).
        report_params: Report statistics of the parameter values.
        report_grads: Report statistics of the gradients.
        prefix: Prefix of every key.
        trigger: When to compute the statistics.
        skip_nan_params: Skip parameters containing NaN.

    Example:
        >>> # trainer.extend(ParameterStatistics(model))
        >>> ParameterStatistics([]).default_name
        'parameter_statistics'
    """

    default_name = "parameter_statistics"
    priority = extension.PRIORITY_WRITER

    def __init__(self, links: Any, statistics: str | dict[str, Callable] = "default",
                 report_params: bool = True, report_grads: bool = True,
                 prefix: str | None = None, trigger: Any = (1, "epoch"),
                 skip_nan_params: bool = False) -> None:
        self._links = list(links) if isinstance(links, Iterable) and not hasattr(
            links, "namedparams") else [links]
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
        self.trigger = trigger_module.get_trigger(trigger)
        self._skip_nan_params = skip_nan_params

    def __call__(self, trainer: Any) -> None:
        """Compute and report the statistics."""
        stats: dict[str, Any] = {}
        prefix = "" if self._prefix is None else self._prefix + "/"
        for link in self._links:
            link_name = getattr(link, "name", None)
            for param_name, param in link.namedparams():
                for attr in self._attrs:
                    array = param.array if attr == "data" else param.grad
                    if array is None:
                        continue
                    xp = backend.get_array_module(array)
                    if self._skip_nan_params and bool(xp.isnan(array).any()):
                        continue
                    for fname, func in self._statistics.items():
                        key = f"{prefix}{link_name}{param_name}/{attr}/{fname}"
                        value = func(array)
                        if getattr(value, "ndim", 0) == 0:
                            stats[key] = value
                        else:
                            for i, v in enumerate(value):
                                stats[f"{key}/{i}"] = v
        reporter.report(stats)

    def register_statistics(self, name: str, function: Callable[[Any], Any]) -> None:
        """Add a statistic ``function(array)`` reported under ``name``."""
        self._statistics[name] = function
