"""Updaters: one training step per call."""

from kusari.training.updaters.multiprocess_parallel_updater import MultiprocessParallelUpdater
from kusari.training.updaters.parallel_updater import ParallelUpdater
from kusari.training.updaters.standard_updater import StandardUpdater
