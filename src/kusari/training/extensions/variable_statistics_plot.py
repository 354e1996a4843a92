"""VariableStatisticsPlot: plot how the distribution of parameters evolves."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy

from kusari import backend, variable
from kusari.training import extension
from kusari.training import trigger as trigger_module
from kusari.training.extensions.plot_report import _import_matplotlib, save_figure

__all__ = ["VariableStatisticsPlot"]

_SIGMAS = (0, 0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87, 100)


class VariableStatisticsPlot(extension.Extension):
    """Plot percentiles, mean and standard deviation of variables' data and gradients.

    At each trigger the values of all ``targets`` (links or Variables) are pooled, up to
    ``max_sample_size`` of them sampled with a fixed stride, summarized and appended to the
    history; the image shows percentile bands and mean ± std against the iteration.

    Args:
        targets: A link, a Variable, or a list of them.
        max_sample_size: Largest number of values summarized per variable kind.
        report_data: Plot the values.
        report_grad: Plot the gradients.
        plot_mean: Draw the mean.
        plot_std: Draw mean ± std.
        percentile_sigmas: Percentiles to draw as bands.
        trigger: When to record and redraw.
        filename: Image name in the trainer's ``out`` (default ``'statistics.png'``;
            ``file_name`` is accepted as an alias).
        figsize: Figure size in inches.
        marker: Marker of the mean line.
        grid: Draw a grid.

    Raises:
        ImportError: If matplotlib is missing (the ``plot`` extra).
        ValueError: If neither data nor gradients are reported.

    Example:
        >>> import numpy, kusari
        >>> v = kusari.Variable(numpy.zeros(3, numpy.float32))
        >>> VariableStatisticsPlot(v).available()
        True
    """

    def __init__(
        self,
        targets: Any,
        max_sample_size: int = 1000,
        report_data: bool = True,
        report_grad: bool = True,
        plot_mean: bool = True,
        plot_std: bool = True,
        percentile_sigmas: Sequence[float] = _SIGMAS,
        trigger: Any = (1, "epoch"),
        filename: str | None = None,
        figsize: tuple[float, float] | None = None,
        marker: str | None = None,
        grid: bool = True,
        **kwargs: Any,
    ) -> None:
        file_name = kwargs.pop("file_name", "statistics.png")
        if kwargs:
            raise TypeError(
                f"VariableStatisticsPlot: unexpected keyword arguments {sorted(kwargs)}"
            )
        if not (report_data or report_grad):
            raise ValueError("VariableStatisticsPlot: report_data or report_grad must be True")
        self._figure_module, _ = _import_matplotlib()
        if not isinstance(targets, (list, tuple)):
            targets = [targets]
        self._targets = list(targets)
        self._max_sample_size = max_sample_size
        self._keys = [k for k, on in (("data", report_data), ("grad", report_grad)) if on]
        self._plot_mean = plot_mean
        self._plot_std = plot_std
        self._percentile_sigmas = list(percentile_sigmas)
        self._trigger = trigger_module.get_trigger(trigger)
        self._filename = file_name if filename is None else filename
        self._figsize = figsize
        self._marker = marker
        self._grid = grid
        self._iterations: list[int] = []
        self._history: dict[str, list[numpy.ndarray]] = {k: [] for k in self._keys}

    @staticmethod
    def available() -> bool:
        """Whether matplotlib can be imported."""
        return _available()

    def _variables(self) -> list[Any]:
        out = []
        for target in self._targets:
            if isinstance(target, variable.Variable):
                out.append(target)
            else:
                out.extend(target.params())
        return out

    def _summary(self, key: str) -> numpy.ndarray:
        """``[mean, std, *percentiles]`` of the pooled values (NaN when there are none)."""
        samples = []
        variables = self._variables()
        per_var = max(1, self._max_sample_size // max(1, len(variables)))
        for v in variables:
            a = v.array if key == "data" else v.grad
            if a is None:
                continue
            a = a.ravel()
            stride = max(1, a.size // per_var)
            samples.append(backend.get_device("@numpy").send(a[::stride]))
        if not samples:
            return numpy.full(2 + len(self._percentile_sigmas), numpy.nan)
        x = numpy.concatenate(samples).astype(numpy.float64)
        return numpy.concatenate(
            [[x.mean(), x.std()], numpy.percentile(x, self._percentile_sigmas)]
        )

    def __call__(self, trainer: Any) -> None:
        """Record the statistics and redraw the image when the trigger fires."""
        if not self._trigger(trainer):
            return
        self._iterations.append(trainer.updater.iteration)
        for key in self._keys:
            self._history[key].append(self._summary(key))
        self._draw(os.path.join(trainer.out, self._filename))

    def _draw(self, path: str) -> None:
        figure = self._figure_module.Figure(figsize=self._figsize)
        xs = numpy.asarray(self._iterations)
        n_bands = len(self._percentile_sigmas) // 2
        for i, key in enumerate(self._keys):
            axes = figure.add_subplot(1, len(self._keys), i + 1)
            stats = numpy.asarray(self._history[key])
            mean, std, percentiles = stats[:, 0], stats[:, 1], stats[:, 2:]
            for b in range(n_bands):
                axes.fill_between(
                    xs,
                    percentiles[:, b],
                    percentiles[:, -1 - b],
                    color="tab:blue",
                    alpha=0.15 + 0.6 * b / max(1, n_bands),
                )
            if self._plot_mean:
                axes.plot(xs, mean, color="tab:red", marker=self._marker, label="mean")
            if self._plot_std:
                axes.plot(xs, mean - std, color="tab:red", linestyle="--", label="mean ± std")
                axes.plot(xs, mean + std, color="tab:red", linestyle="--")
            axes.set_title(key)
            axes.set_xlabel("iteration")
            if self._grid:
                axes.grid()
            if self._plot_mean or self._plot_std:
                axes.legend(loc="best")
        save_figure(figure, path)


def _available() -> bool:
    try:
        _import_matplotlib()
    except ImportError:
        return False
    return True
