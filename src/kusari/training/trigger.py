"""Trigger helpers at Chainer's ``chainer.training.trigger`` path."""

from kusari.training.triggers._get_trigger import get_trigger
from kusari.training.triggers.interval_trigger import IntervalTrigger

__all__ = ["get_trigger", "IntervalTrigger"]
