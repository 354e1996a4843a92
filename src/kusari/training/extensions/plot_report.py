"""PlotReport: plot reported values against iterations or epochs into an image."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Sequence
from typing import Any

from kusari import reporter
from kusari import serializer as serializer_module
from kusari.training import _optional, extension
from kusari.training import trigger as trigger_module
from kusari.training.extensions._util import atomic_write

__all__ = ["PlotReport"]


def _import_matplotlib() -> Any:
    try:
        import matplotlib.figure
        from matplotlib.backends import backend_agg
    except ImportError as e:
        raise ImportError(
            "PlotReport needs matplotlib; install it with "
            "`pip install kusari[plot]` (or `pip install matplotlib`)"
        ) from e
    return matplotlib.figure, backend_agg


def save_figure(figure: Any, path: str) -> None:
    """Render a matplotlib figure with Agg and write it to ``path`` atomically."""
    _, backend_agg = _import_matplotlib()
    backend_agg.FigureCanvasAgg(figure)
    buf = io.BytesIO()
    figure.savefig(buf, format=os.path.splitext(path)[1][1:] or "png", bbox_inches="tight")
    atomic_write(path, lambda f: f.write(buf.getvalue()), mode="wb")


class PlotReport(extension.Extension):
    """Plot the interval means of ``y_keys`` against ``x_key`` into an image file.

    matplotlib is imported when the extension is created and used through its Agg canvas
    (no display, no global backend switch).

    Args:
        y_keys: Observation key or keys to plot.
        x_key: ``'iteration'`` or ``'epoch'``.
        trigger: Interval of the points (and of the redraws).
        postprocess: ``postprocess(figure, axes, summary)`` may edit the plot before saving.
        filename: Image name in the trainer's ``out`` (default ``'plot.png'``; the suffix
            picks the format; ``file_name`` is accepted as an alias).
        marker: Marker of the points.
        grid: Draw a grid.

    Raises:
        ImportError: If matplotlib is missing (the ``plot`` extra).
        ValueError: If ``x_key`` is neither ``'iteration'`` nor ``'epoch'``.

    Example:
        >>> # trainer.extend(PlotReport(['main/loss', 'validation/main/loss'], 'epoch'))
        >>> PlotReport.available()
        True
    """

    def __init__(
        self,
        y_keys: str | Sequence[str],
        x_key: str = "iteration",
        trigger: Any = (1, "epoch"),
        postprocess: Callable[..., None] | None = None,
        filename: str | None = None,
        marker: str | None = "x",
        grid: bool = True,
        **kwargs: Any,
    ) -> None:
        file_name = kwargs.pop("file_name", "plot.png")
        if kwargs:
            raise TypeError(f"PlotReport: unexpected keyword arguments {sorted(kwargs)}")
        if x_key not in ("iteration", "epoch"):
            raise ValueError(f"PlotReport: x_key must be 'iteration' or 'epoch', got {x_key!r}")
        self._figure_module, _ = _import_matplotlib()
        self._y_keys = [y_keys] if isinstance(y_keys, str) else list(y_keys)
        self._x_key = x_key
        self._trigger = trigger_module.get_trigger(trigger)
        self._postprocess = postprocess
        self._filename = file_name if filename is None else filename
        self._marker = marker
        self._grid = grid
        self._summary = reporter.DictSummary()
        self._data: dict[str, list[list[float]]] = {k: [] for k in self._y_keys}

    @staticmethod
    def available() -> bool:
        """Whether matplotlib can be imported."""
        try:
            _import_matplotlib()
        except ImportError:
            return False
        return True

    def __call__(self, trainer: Any) -> None:
        """Accumulate; at the interval's end, add the means and redraw the image."""
        observation = trainer.observation
        self._summary.add({k: observation[k] for k in self._y_keys if k in observation})
        if not self._trigger(trainer):
            return
        stats = {k: float(v) for k, v in self._summary.compute_mean().items()}
        self._summary = reporter.DictSummary()
        x = float(getattr(trainer.updater, self._x_key))
        for key in self._y_keys:
            if key in stats:
                self._data[key].append([x, stats[key]])
        self._draw(os.path.join(trainer.out, self._filename), stats)

    def _draw(self, path: str, stats: dict[str, float]) -> None:
        figure = self._figure_module.Figure()
        axes = figure.add_subplot(1, 1, 1)
        for key in self._y_keys:
            points = self._data[key]
            if points:
                xs, ys = zip(*points)
                axes.plot(xs, ys, marker=self._marker, label=key)
        if axes.has_data():
            if self._grid:
                axes.grid()
            axes.set_xlabel(self._x_key)
            axes.legend(bbox_to_anchor=(1.05, 1), loc="upper left", borderaxespad=0)
            if self._postprocess is not None:
                self._postprocess(figure, axes, stats)
            save_figure(figure, path)

    def serialize(self, serializer: serializer_module.AbstractSerializer) -> None:
        """Save or load the trigger, the running summary and the plotted points (JSON)."""
        _optional.child(self._trigger, serializer, "_trigger")
        _optional.child(self._summary, serializer, "_summary")
        key = f"_plot_{self._filename}"  # Chainer's key
        if isinstance(serializer, serializer_module.Serializer):
            serializer(key, json.dumps(self._data))
        else:
            stored = _optional.value(serializer, key, None)
            if stored is None:
                return
            data = json.loads(str(stored.item() if hasattr(stored, "item") else stored))
            self._data = {k: data.get(k, []) for k in self._y_keys}
