"""Test helpers with ``chainer.testing``'s names.

Example:
    >>> from kusari import testing
    >>> testing.product({'dtype': ['f', 'd'], 'n': [1]})
    [{'dtype': 'f', 'n': 1}, {'dtype': 'd', 'n': 1}]
"""

from kusari.testing.array import assert_allclose
from kusari.testing.function_link import FunctionTestCase, test_device
from kusari.testing.parameterized import parameterize, product, product_dict

test_device.__test__ = False  # type: ignore[attr-defined]

__all__ = [
    "FunctionTestCase", "assert_allclose", "parameterize", "product", "product_dict",
    "test_device",
]
