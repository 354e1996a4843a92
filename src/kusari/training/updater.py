"""Updaters, at Chainer's ``chainer.training.updater`` path."""

from kusari.training._updater import Updater
from kusari.training.updaters.parallel_updater import ParallelUpdater
from kusari.training.updaters.standard_updater import StandardUpdater

__all__ = ["Updater", "StandardUpdater", "ParallelUpdater"]
