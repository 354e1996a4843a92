"""Training utilities at Chainer's ``chainer.training.util`` path."""

from kusari.training.triggers._get_trigger import get_trigger

__all__ = ["get_trigger"]
