"""PlotReport and VariableStatisticsPlot write PNG images."""

from __future__ import annotations

import os
import sys

import pytest

from kusari import serializers
from kusari.training import extensions

from .._helpers import make_trainer

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _is_png(path) -> bool:
    with open(path, "rb") as f:
        return f.read(8) == PNG_MAGIC


def test_plot_report_writes_png(tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, "epoch"))
    seen = []
    ext = extensions.PlotReport(
        ["main/loss", "never"],
        "epoch",
        filename="loss.png",
        postprocess=lambda fig, ax, stats: seen.append(ax.get_xlabel()),
    )
    trainer.extend(ext)
    trainer.run()
    assert _is_png(tmp_path / "loss.png")
    assert [x for x, _ in ext._data["main/loss"]] == [1.0, 2.0, 3.0]
    assert ext._data["never"] == []
    assert seen == ["epoch"] * 3
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]


def test_plot_report_serialize(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    ext = extensions.PlotReport("main/loss")
    trainer.extend(ext)
    trainer.run()
    path = str(tmp_path / "p.npz")
    serializers.save_npz(path, ext)
    loaded = extensions.PlotReport("main/loss")
    serializers.load_npz(path, loaded)
    assert loaded._data == ext._data


def test_plot_report_errors(monkeypatch):
    with pytest.raises(ValueError, match="x_key"):
        extensions.PlotReport("a", x_key="time")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    assert not extensions.PlotReport.available()
    with pytest.raises(ImportError, match=r"kusari\[plot\]"):
        extensions.PlotReport("a")


def test_variable_statistics_plot_writes_png(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    model = trainer.updater.get_optimizer("main").target
    ext = extensions.VariableStatisticsPlot(model, trigger=(1, "epoch"))
    trainer.extend(ext)
    trainer.run()
    assert _is_png(tmp_path / "statistics.png")
    assert ext._iterations == [4, 8]
    data = ext._history["data"][-1]
    params = [p.array.ravel() for p in model.params()]
    import numpy

    values = numpy.concatenate(params)
    assert data[0] == pytest.approx(values.mean(), rel=1e-5)  # every value sampled
    assert data[2] == pytest.approx(values.min()) and data[-1] == pytest.approx(values.max())
