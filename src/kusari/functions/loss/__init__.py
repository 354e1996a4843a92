"""Loss functions."""

from kusari.functions.loss.mean_squared_error import mean_squared_error
from kusari.functions.loss.sigmoid_cross_entropy import sigmoid_cross_entropy
from kusari.functions.loss.softmax_cross_entropy import softmax_cross_entropy

__all__ = ["mean_squared_error", "sigmoid_cross_entropy", "softmax_cross_entropy"]
