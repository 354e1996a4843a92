"""Small trainers and fake updaters shared by the training tests."""

from __future__ import annotations

import numpy

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import datasets, iterators, optimizers, training


class Regressor(kusari.Chain):
    """A linear model reporting its loss (``main/loss`` in a trainer)."""

    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(3, 2)

    def __call__(self, x, t):
        loss = F.mean_squared_error(self.l(x), t)
        kusari.report({"loss": loss}, self)
        return loss


def make_data(n: int = 20, seed: int = 0) -> datasets.TupleDataset:
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, 3).astype(numpy.float32)
    t = rng.randn(n, 2).astype(numpy.float32)
    return datasets.TupleDataset(x, t)


def make_trainer(
    out, stop=(3, "epoch"), n: int = 20, batch: int = 5, shuffle: bool = False, lr: float = 0.1
) -> training.Trainer:
    """A trainer of :class:`Regressor` on ``n`` examples (``n / batch`` iterations/epoch)."""
    model = Regressor()
    optimizer = optimizers.SGD(lr=lr)
    optimizer.setup(model)
    it = iterators.SerialIterator(make_data(n), batch, shuffle=shuffle)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out))


class FakeUpdater:
    """An updater without data: ``iters_per_epoch`` updates make an epoch."""

    def __init__(self, iters_per_epoch: int = 5) -> None:
        self.iters_per_epoch = iters_per_epoch
        self.iteration = 0
        self.finalized = False

    @property
    def epoch(self) -> int:
        return self.iteration // self.iters_per_epoch

    @property
    def epoch_detail(self) -> float:
        return self.iteration / self.iters_per_epoch

    @property
    def previous_epoch_detail(self) -> float | None:
        return None if self.iteration == 0 else (self.iteration - 1) / self.iters_per_epoch

    @property
    def is_new_epoch(self) -> bool:
        return self.iteration > 0 and self.iteration % self.iters_per_epoch == 0

    def get_all_optimizers(self) -> dict:
        return {}

    def connect_trainer(self, trainer) -> None:
        pass

    def update(self) -> None:
        self.iteration += 1

    def finalize(self) -> None:
        self.finalized = True

    def serialize(self, serializer) -> None:
        self.iteration = serializer("iteration", self.iteration)


def fake_trainer(out, stop=(10, "iteration"), iters_per_epoch: int = 5) -> training.Trainer:
    return training.Trainer(FakeUpdater(iters_per_epoch), stop, out=str(out))


def fire_pattern(trigger, iterations: int, iters_per_epoch: int = 5) -> list[int]:
    """The iterations (1-based) after which ``trigger`` fired."""
    trainer = fake_trainer("unused", None, iters_per_epoch)
    fired = []
    for _ in range(iterations):
        trainer.updater.update()
        if trigger(trainer):
            fired.append(trainer.updater.iteration)
    return fired
