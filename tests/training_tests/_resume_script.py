"""A small training run that resumes from its newest snapshot (used by test_resume.py).

Usage: python _resume_script.py OUT_DIR FINAL_NPZ [EPOCHS]

The run shuffles its data, applies dropout (masks drawn from NumPy's global generator),
uses an optimizer with state (momentum), takes a snapshot every iteration with
``autoload=True`` and, when done, saves the model to FINAL_NPZ. Killed at any moment and
started again, it must end with the same parameters as a run never interrupted.
"""

from __future__ import annotations

import sys

import numpy

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import datasets, iterators, optimizers, serializers, training
from kusari.training import extensions


class Net(kusari.Chain):
    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(4, 16)
            self.l2 = L.Linear(16, 2)

    def __call__(self, x, t):
        h = F.relu(self.l1(x))
        h = F.dropout(h, 0.3)  # masks drawn from numpy.random
        loss = F.mean_squared_error(self.l2(h), t)
        kusari.report({"loss": loss}, self)
        return loss


def main(out: str, final: str, epochs: int) -> None:
    numpy.random.seed(0)
    x = numpy.random.randn(40, 4).astype(numpy.float32)
    t = numpy.random.randn(40, 2).astype(numpy.float32)
    model = Net()
    optimizer = optimizers.MomentumSGD(lr=0.05)  # with state to restore
    optimizer.setup(model)
    it = iterators.SerialIterator(datasets.TupleDataset(x, t), 6, shuffle=True)
    updater = training.StandardUpdater(it, optimizer)
    trainer = training.Trainer(updater, (epochs, "epoch"), out=out)
    trainer.extend(extensions.LogReport(trigger=(1, "epoch")))
    trainer.extend(extensions.snapshot(n_retains=3, autoload=True), trigger=(1, "iteration"))
    trainer.run()
    serializers.save_npz(final, model)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 30)
