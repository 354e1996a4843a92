"""Evaluator: validation means under the 'validation/' prefix."""

from __future__ import annotations

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import configuration, iterators
from kusari.training import extensions

from .._helpers import Regressor, make_data, make_trainer


def _expected_mean_loss(model, data, batch):
    losses = []
    for i in range(0, len(data), batch):
        x, t = (numpy.stack(a) for a in zip(*data[i : i + batch]))
        losses.append(float(F.mean_squared_error(model.l(x), t).array))
    return numpy.mean(losses)


def test_evaluator_in_trainer(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    model = trainer.updater.get_optimizer("main").target
    data = make_data(12, seed=1)
    it = iterators.SerialIterator(data, 5, repeat=False, shuffle=False)
    trainer.extend(extensions.Evaluator(it, model))
    trainer.extend(extensions.LogReport())
    trainer.run()
    log = trainer.get_extension("LogReport").log
    assert "validation/main/loss" in log[-1]
    # last batch has 2 examples: the mean is over batches, as in Chainer
    assert log[-1]["validation/main/loss"] == pytest.approx(
        _expected_mean_loss(model, data, 5), rel=1e-5
    )


def test_evaluator_standalone_eval_func_and_hook():
    model = Regressor()
    data = make_data(10)
    it = iterators.SerialIterator(data, 4, repeat=False, shuffle=False)
    modes, hooks = [], []

    def eval_func(x, t):
        modes.append((configuration.config.train, configuration.config.enable_backprop))
        kusari.report({"n": float(len(x))})

    ev = extensions.Evaluator(it, model, eval_func=eval_func, eval_hook=hooks.append)
    result = ev()
    assert modes == [(False, False)] * 3
    assert hooks == [ev]
    assert float(result["n"]) == pytest.approx(10 / 3)
    assert ev.get_target("main") is model and ev.get_iterator("main") is it
    result2 = ev()  # the iterator is reset between evaluations
    assert float(result2["n"]) == pytest.approx(10 / 3)


def test_evaluator_bad_kwarg():
    with pytest.raises(TypeError, match="unexpected"):
        extensions.Evaluator(None, Regressor(), devices=None)


def test_evaluator_progress_bar(capsys):
    pytest.importorskip("tqdm")
    model = Regressor()
    it = iterators.SerialIterator(make_data(10), 4, repeat=False, shuffle=False)
    result = extensions.Evaluator(it, model, progress_bar=True)()
    assert "main/loss" in result
    err = capsys.readouterr().err
    assert "validation:" in err and "/3 [" in err  # 3 batches in all
