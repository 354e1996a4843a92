"""Loss functions."""

from kusari.functions.loss.mean_squared_error import mean_squared_error

__all__ = ["mean_squared_error"]
