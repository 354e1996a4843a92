"""Links with connections: linear, convolution, embedding."""

from kusari.links.connection.linear import Linear

__all__ = ["Linear"]
