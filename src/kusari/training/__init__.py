"""Training loop: Trainer, updaters, triggers and extensions, with Chainer's names."""

from kusari.training import extensions, triggers, updaters, util
from kusari.training.extension import (
    PRIORITY_EDITOR,
    PRIORITY_READER,
    PRIORITY_WRITER,
    Extension,
    make_extension,
)
from kusari.training.trainer import Trainer
from kusari.training.trigger import IntervalTrigger, get_trigger
from kusari.training.updater import ParallelUpdater, StandardUpdater, Updater
