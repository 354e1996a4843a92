"""Mathematical functions: arithmetic, reductions, matrix products, elementwise math."""

from kusari.functions.math.average import average, mean
from kusari.functions.math.basic_math import absolute, add
from kusari.functions.math.exponential import exp, log, log2, log10
from kusari.functions.math.matmul import batch_matmul, matmul
from kusari.functions.math.sqrt import rsqrt, sqrt
from kusari.functions.math.sum import sum, sum_to

__all__ = [
    "absolute", "add", "average", "batch_matmul", "exp", "log", "log2", "log10",
    "matmul", "mean", "rsqrt", "sqrt", "sum", "sum_to",
]
