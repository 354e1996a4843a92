"""kusari's main job: train the tutorial network and a real classifier, end to end.

``python -m kusari.demo`` trains

1. the tutorial's two-layer network (1000-100-10, ReLU, mean squared error, SGD) with
   the training loop of its step 5, and
2. a multilayer perceptron on scikit-learn's bundled handwritten digits (offline, a
   real dataset), with evaluation on a held-out split, a progress bar and a snapshot,

printing each report and writing the loss plots to ``result/``.

Example:
    $ python -m kusari.demo --out result --epochs 20
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import numpy

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import datasets, iterators, optimizers, reporter, training
from kusari.training import extensions


class TwoLayerNet(kusari.Chain):
    """The tutorial's network: Linear, ReLU, Linear."""

    def __init__(self, d_in: int, h: int, d_out: int, W1: Any = None, W2: Any = None) -> None:
        super().__init__()
        with self.init_scope():
            self.linear1 = L.Linear(d_in, h, initialW=None if W1 is None else W1.T)
            self.linear2 = L.Linear(h, d_out, initialW=None if W2 is None else W2.T)

    def forward(self, x: Any) -> kusari.Variable:
        return self.linear2(F.relu(self.linear1(x)))


class LossCalculator(kusari.Chain):
    """Mean squared error of a predictor, reported as ``main/loss``."""

    def __init__(self, model: kusari.Link) -> None:
        super().__init__()
        with self.init_scope():
            self.model = model

    def forward(self, x: Any, y: Any) -> kusari.Variable:
        loss = F.mean_squared_error(self.model(x), y)
        reporter.report({"loss": loss}, self)
        return loss


def train_tutorial(out: str, epochs: int = 300) -> float:
    """Step 5 of the tutorial, plus a loss plot. Returns the final loss."""
    rng = numpy.random.RandomState(1)
    M, N_I, N_H, N_O = 64, 1000, 100, 10
    X = rng.randn(M, N_I).astype(numpy.float32)
    Y = rng.randn(M, N_O).astype(numpy.float32)
    W1 = rng.randn(N_I, N_H).astype(numpy.float32)
    W2 = rng.randn(N_H, N_O).astype(numpy.float32)
    train_iter = iterators.SerialIterator(datasets.TupleDataset(X, Y), M, shuffle=False)
    model = LossCalculator(TwoLayerNet(N_I, N_H, N_O, W1, W2))
    optimizer = optimizers.SGD(lr=1e-4).setup(model)
    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (epochs, "epoch"), out=out)
    trainer.extend(extensions.LogReport(trigger=(max(1, epochs // 10), "epoch")))
    trainer.extend(extensions.PrintReport(["epoch", "main/loss", "elapsed_time"]))
    trainer.extend(extensions.PlotReport(["main/loss"], "epoch", filename="loss.png"))
    trainer.run()
    return float(trainer.observation["main/loss"].array)


class MLP(kusari.Chain):
    """A multilayer perceptron with two hidden layers."""

    def __init__(self, n_units: int, n_out: int) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x: Any) -> kusari.Variable:
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)


def train_digits(out: str, epochs: int = 20, batchsize: int = 64, progress: bool = True) -> dict:
    """An MLP on the handwritten digits; returns the last validation observation."""
    train, test = datasets.get_digits()
    model = L.Classifier(MLP(100, 10))
    optimizer = optimizers.Adam().setup(model)
    train_iter = iterators.SerialIterator(train, batchsize)
    test_iter = iterators.SerialIterator(test, batchsize, repeat=False, shuffle=False)
    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (epochs, "epoch"), out=out)
    trainer.extend(extensions.Evaluator(test_iter, model))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(filename="snapshot_epoch_{.updater.epoch}", n_retains=1),
                   trigger=(epochs, "epoch"))
    trainer.extend(extensions.PlotReport(["main/loss", "validation/main/loss"], "epoch",
                                         filename="loss.png"))
    trainer.extend(extensions.PlotReport(["main/accuracy", "validation/main/accuracy"],
                                         "epoch", filename="accuracy.png"))
    trainer.extend(extensions.PrintReport(
        ["epoch", "main/loss", "validation/main/loss", "main/accuracy",
         "validation/main/accuracy", "elapsed_time"]))
    if progress:
        trainer.extend(extensions.ProgressBar(update_interval=5))
    trainer.run()
    log = trainer.get_extension("LogReport").log
    return log[-1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kusari.demo", description=__doc__.split("\n")[0])
    p.add_argument("--out", default="result", help="output directory (default: result)")
    p.add_argument("--epochs", type=int, default=20, help="epochs for the digits MLP")
    p.add_argument("--tutorial-epochs", type=int, default=300)
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = p.parse_args(argv)
    numpy.random.seed(0)
    print("== 1. The tutorial network (1000-100-10, MSE, SGD) ==")
    loss = train_tutorial(os.path.join(args.out, "tutorial"), args.tutorial_epochs)
    print(f"final loss {loss:.4f}; plot: {os.path.join(args.out, 'tutorial', 'loss.png')}")
    print("\n== 2. An MLP on handwritten digits (scikit-learn's bundled set) ==")
    last = train_digits(os.path.join(args.out, "digits"), args.epochs,
                        progress=not args.no_progress)
    acc = last.get("validation/main/accuracy", float("nan"))
    print(f"validation accuracy {acc:.4f}; plots: {os.path.join(args.out, 'digits')}"
          "/loss.png, accuracy.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
