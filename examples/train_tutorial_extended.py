#!/usr/bin/env python
"""The tutorial's step 5, extended: validation, a progress bar, plots and snapshots.

The same two-layer network (1000-100-10, ReLU, mean squared error, SGD) and data as
``tutorial/sample_5_trainer.py``; on top of its LogReport and PrintReport this run adds

* an Evaluator on a held-out set drawn the same way (``validation/main/loss``; the targets
  are random, so it shows how the network overfits them),
* a ProgressBar (needs ``pip install kusari[progress]``),
* a PlotReport of both losses to ``OUT/loss.png`` (needs ``pip install kusari[plot]``),
* a snapshot every 50 epochs with ``autoload=True``: run the script again after an
  interruption and it resumes from the newest snapshot in ``OUT``.

Usage: python examples/train_tutorial_extended.py [--epochs 300] [--out result_extended]
"""

from __future__ import annotations

import argparse

import numpy as np

import kusari
import kusari.datasets as D
import kusari.functions as F
import kusari.iterators as Iter
import kusari.links as L
import kusari.optimizers as P
from kusari import reporter, training
from kusari.training import extensions

M, N_I, N_H, N_O = 64, 1000, 100, 10
LEARNING_RATE = 1.0e-04

np.random.seed(1)  # the tutorial's data and initial weights
X = np.random.randn(M, N_I).astype(np.float32)
Y = np.random.randn(M, N_O).astype(np.float32)
W1 = np.random.randn(N_I, N_H).astype(np.float32)
W2 = np.random.randn(N_H, N_O).astype(np.float32)
X_VAL = np.random.randn(M, N_I).astype(np.float32)
Y_VAL = np.random.randn(M, N_O).astype(np.float32)


class TwoLayerNet(kusari.Chain):
    def __init__(self, d_in: int, h: int, d_out: int) -> None:
        super().__init__()
        with self.init_scope():
            self.linear1 = L.Linear(d_in, h, initialW=W1.transpose())
            self.linear2 = L.Linear(h, d_out, initialW=W2.transpose())

    def __call__(self, x):
        return self.linear2(F.relu(self.linear1(x)))


class LossCalculator(kusari.Chain):
    def __init__(self, model: kusari.Chain) -> None:
        super().__init__()
        with self.init_scope():
            self.model = model

    def __call__(self, x, y):
        loss = F.mean_squared_error(self.model(x), y)
        reporter.report({"loss": loss}, self)
        return loss


def main(epochs: int = 300, out: str = "result_extended") -> training.Trainer:
    train_iter = Iter.SerialIterator(D.TupleDataset(X, Y), batch_size=M, shuffle=False)
    val_iter = Iter.SerialIterator(
        D.TupleDataset(X_VAL, Y_VAL), batch_size=M, repeat=False, shuffle=False
    )
    loss_calculator = LossCalculator(TwoLayerNet(N_I, N_H, N_O))
    optimizer = P.SGD(lr=LEARNING_RATE)
    optimizer.setup(loss_calculator)
    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (epochs, "epoch"), out=out)

    trainer.extend(extensions.Evaluator(val_iter, loss_calculator))
    trainer.extend(extensions.LogReport())
    trainer.extend(
        extensions.PrintReport(["epoch", "main/loss", "validation/main/loss", "elapsed_time"])
    )
    trainer.extend(extensions.ProgressBar(update_interval=10))
    trainer.extend(
        extensions.PlotReport(
            ["main/loss", "validation/main/loss"],
            "epoch",
            trigger=(10, "epoch"),
            filename="loss.png",
        )
    )
    trainer.extend(extensions.snapshot(n_retains=2, autoload=True), trigger=(50, "epoch"))
    trainer.run()
    return trainer


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--out", default="result_extended")
    args = parser.parse_args()
    main(args.epochs, args.out)
