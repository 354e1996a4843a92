"""Connections: layers with weights (linear, convolution, embedding, recurrent)."""

from kusari.functions.connection.linear import linear

__all__ = ["linear"]
