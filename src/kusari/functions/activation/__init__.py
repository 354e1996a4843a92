"""Activation functions."""

from kusari.functions.activation.relu import relu

__all__ = ["relu"]
